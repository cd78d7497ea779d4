namespace SolidarityTracker.Configuration;

public sealed class MastodonOptions
{
    /// <summary>Mastodon's default limit for unauthenticated requests: 300 per 5 minutes per instance.</summary>
    public int RequestsPer5Min { get; set; } = 300;
    /// <summary>When set, overrides the instance named by each handle (user@instance).</summary>
    public string? BaseUrl { get; set; }
}
