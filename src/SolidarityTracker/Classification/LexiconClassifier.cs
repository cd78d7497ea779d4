using SolidarityTracker.Model;

namespace SolidarityTracker.Classification;

/// <summary>Placeholder: labels nothing until the lexicon lands.</summary>
public sealed class LexiconClassifier : IPostClassifier
{
    public string Version => "placeholder-0";

    public ClassificationResult Classify(string text) => ClassificationResult.None(Version);
}
