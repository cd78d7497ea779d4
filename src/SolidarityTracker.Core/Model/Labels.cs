namespace SolidarityTracker.Model;

/// <summary>The three labels of LABELS.md; a post with none is "other".</summary>
public static class Labels
{
    public const string Condolence = "condolence";
    public const string Memorial = "memorial";
    public const string SafetyReminder = "safety_reminder";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Condolence, Memorial, SafetyReminder];

    public static bool IsKnown(string? label) => label is not null && All.Contains(label);
}

/// <summary>A phrase or feature that moved a label's score.</summary>
public sealed record Evidence(string Label, string Phrase, double Weight);

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
