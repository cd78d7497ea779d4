namespace SolidarityTracker.Classification;

/// <summary>Labels a text per LABELS.md. Pure and thread-safe: one instance serves every caller.</summary>
public interface IPostClassifier
{
    string Version { get; }

    ClassificationResult Classify(string text);
}
