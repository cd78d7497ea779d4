namespace SolidarityTracker.Digests;

/// <summary>What the digest of one local day is made of, read from storage before the model is built.</summary>
public sealed record DigestInput(
    DateOnly Date,
    TimeZoneInfo Zone,
    IReadOnlyList<StoredPost> Posts,
    IReadOnlyDictionary<string, int> PreviousLabelCounts,
    int PreviousPosts,
    IReadOnlyList<ProfileChange> ProfileChanges,
    IReadOnlyList<AccountState> Accounts,
    IReadOnlyList<Agency> Agencies,
    DateTimeOffset Now,
    int MaxPostsPerSection = 50,
    string? DashboardUrl = null);
