namespace SolidarityTracker.Model;

/// <summary>What the classifier says of one text: the labels that fit, a score per label, and why.</summary>
public sealed record ClassificationResult(
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, double> Scores,
    IReadOnlyList<Evidence> Evidence,
    string ClassifierVersion)
{
    public static ClassificationResult None(string version) => new(
        [], Model.Labels.All.ToDictionary(l => l, _ => 0.0), [], version);

    public double Score(string label) => Scores.TryGetValue(label, out var s) ? s : 0.0;
    public bool Has(string label) => Labels.Contains(label);
}
