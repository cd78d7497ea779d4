namespace SolidarityTracker.Digests;

/// <summary>The account a row is about (a profile change, a failing account): whose it is and where.</summary>
public abstract class DigestAccount
{
    public required string AgencyId { get; init; }
    public required string AgencyName { get; init; }
    public required string Platform { get; init; }
    /// <summary>"X", "Mastodon", "Bluesky", "News feed", or an archive's own platform name (letters and digits).</summary>
    public string PlatformName => DigestModelBuilder.PlatformLook(Platform).Name;
    public string PlatformIcon => DigestModelBuilder.PlatformLook(Platform).Icon;
    public required string Handle { get; init; }
}
