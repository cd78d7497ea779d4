namespace SolidarityTracker.Bench;

/// <summary>One followed account of a replay: its agency and its feed URL (the rss handle).</summary>
public sealed record ReplayAccount(string AgencyId, string Name, string State, string Feed);
