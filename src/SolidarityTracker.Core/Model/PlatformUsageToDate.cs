namespace SolidarityTracker.Model;

/// <summary>A platform's usage on the current local day and in its month so far.</summary>
public sealed record PlatformUsageToDate(string Platform, PlatformUsage Today, PlatformUsage ThisMonth);
