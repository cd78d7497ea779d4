namespace SolidarityTracker.Model;

/// <summary>The platform names used in configuration, storage and exports.</summary>
public static class Platforms
{
    public const string X = "x";
    public const string Mastodon = "mastodon";
    public const string Bluesky = "bluesky";
    public const string Rss = "rss";

    public static readonly IReadOnlyList<string> All = [X, Mastodon, Bluesky, Rss];

    public static bool IsKnown(string? platform) => platform is not null && All.Contains(platform);
}
