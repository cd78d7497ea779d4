namespace SolidarityTracker.Model;

/// <summary>What polling cost on one platform: HTTP requests made and posts read (new or already stored; X bills per post read).</summary>
public sealed record PlatformUsage(string Platform, long Requests, long PostsRead);
