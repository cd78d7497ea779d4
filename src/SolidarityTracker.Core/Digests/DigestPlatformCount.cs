namespace SolidarityTracker.Digests;

public sealed class DigestPlatformCount
{
    public required string Name { get; init; }
    public string Title => DigestModelBuilder.PlatformLook(Name).Name;
    public string Icon => DigestModelBuilder.PlatformLook(Name).Icon;
    public required int Count { get; init; }
}
