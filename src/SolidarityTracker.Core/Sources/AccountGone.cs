namespace SolidarityTracker.Sources;

/// <summary>What the platform says became of an account that no longer answers: stored on its row and shown by `status`.</summary>
public static class AccountGone
{
    public const string Suspended = "suspended";
    public const string Deleted = "deleted";
    public const string Deactivated = "deactivated";

    /// <summary>How long a gone account is left alone before it is asked again.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromDays(1);
}
