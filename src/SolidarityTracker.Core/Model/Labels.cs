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
