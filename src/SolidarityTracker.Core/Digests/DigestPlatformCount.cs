namespace SolidarityTracker.Digests;

/// <summary>The posts of one platform in the digest's day.</summary>
public sealed record DigestPlatformCount(string Name, int Count)
{
    public string Title => DigestModelBuilder.PlatformLook(Name).Name;
    public string Icon => DigestModelBuilder.PlatformLook(Name).Icon;
}
