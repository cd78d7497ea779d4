namespace SolidarityTracker.Digests;

public sealed class DigestSummary
{
    public required int Posts { get; init; }
    public required int Agencies { get; init; }
    public required int PreviousPosts { get; init; }
    /// <summary>"+12", "-3", "±0": posts against the previous local day.</summary>
    public required string PostsChange { get; init; }
    public required int OtherPosts { get; init; }
    public required IReadOnlyList<DigestLabelCount> Labels { get; init; }
    /// <summary>Platforms that posted, most posts first.</summary>
    public required IReadOnlyList<DigestPlatformCount> Platforms { get; init; }
}
