namespace SolidarityTracker.Configuration;

public sealed class SourcesOptions
{
    public XOptions X { get; set; } = new();
    public MastodonOptions Mastodon { get; set; } = new();
    public BlueskyOptions Bluesky { get; set; } = new();
    public RssOptions Rss { get; set; } = new();
}
