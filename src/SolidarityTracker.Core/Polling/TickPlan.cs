namespace SolidarityTracker.Polling;

/// <summary>One tick's choice: the accounts to poll (in order), how many due accounts each budget held back, whether a wave is on.</summary>
public sealed record TickPlan(DateTimeOffset At, IReadOnlyList<ScheduledAccount> Accounts, IReadOnlyDictionary<string, int> HeldByBudget, bool Wave, int Due)
{
    /// <summary>Due accounts left to a live stream this tick.</summary>
    public int Streamed { get; init; }
}
