namespace SolidarityTracker.Model;

/// <summary>What polling cost on one platform: HTTP requests made and posts read (new or already stored; X bills per post read).</summary>
public sealed record PlatformUsage(string Platform, long Requests, long PostsRead);

/// <summary>A platform's usage on the current local day and in its month so far.</summary>
public sealed record PlatformUsageToDate(string Platform, PlatformUsage Today, PlatformUsage ThisMonth);
