namespace SolidarityTracker.Digests;

/// <summary>The day's totals.</summary>
/// <param name="PostsChange">"+12", "−3", "±0": posts against the previous local day.</param>
/// <param name="Platforms">Platforms that posted, most posts first.</param>
public sealed record DigestSummary(
    int Posts,
    int Agencies,
    int PreviousPosts,
    string PostsChange,
    int OtherPosts,
    IReadOnlyList<DigestLabelCount> Labels,
    IReadOnlyList<DigestPlatformCount> Platforms);
