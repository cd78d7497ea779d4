namespace SolidarityTracker.Model;

/// <summary>The three labels of LABELS.md; a post with none is "other".</summary>
public static class Labels
{
    public const string Condolence = "condolence";
    public const string Memorial = "memorial";
    public const string SafetyReminder = "safety_reminder";
    public const string Other = "other";

    public static IReadOnlyList<string> All => Names;

    public static bool IsKnown(string? label) => label is not null && All.Contains(label);

    /// <summary>A label's place in <see cref="All"/>, or -1.</summary>
    public static int IndexOf(string? label) => label is null ? -1 : Array.IndexOf(Names, label);

    private static readonly string[] Names = [Condolence, Memorial, SafetyReminder];
}
