namespace SolidarityTracker.Model;

/// <summary>
/// One page of what is new. <see cref="Cursor"/> replaces the account's cursor when the page is stored
/// (null keeps it). <see cref="ExternalId"/> stores a resolved account id. <see cref="Profile"/> is recorded
/// as a snapshot when it differs from the last one. <see cref="Requests"/> counts HTTP requests made for it.
/// <see cref="DeletedPostIds"/> are posts the platform said are gone. <see cref="ListedSince"/>, when set, says
/// the page lists every post the account has that was created at or after that instant: a stored post of the
/// account from that window that the page lacks was deleted on the platform, and is marked so (never removed).
/// </summary>
public sealed record SourcePage(
    IReadOnlyList<Post> Posts,
    string? Cursor,
    int Requests,
    ProfileSnapshot? Profile = null,
    string? ExternalId = null,
    IReadOnlyList<string>? DeletedPostIds = null,
    DateTimeOffset? ListedSince = null)
{
    /// <summary>
    /// How far above the oldest post of a listed page its window starts. A stored post's time can be a little later
    /// than its place in the platform's order (a record dated after it was indexed, a tie at the page's edge): the
    /// margin keeps a post just below the page out of the window, so it is never taken for deleted.
    /// </summary>
    /// <summary>The account's handle as the platform gives it now (an X account renamed keeps its id); stored when it differs from the configured one.</summary>
    public string? Handle { get; init; }

    public static readonly TimeSpan ListingMargin = TimeSpan.FromMinutes(1);
}
