using SolidarityTracker.Model;

namespace SolidarityTracker.Sources;

/// <summary>
/// One platform's way of asking "what is new for this account since this cursor".
/// A source yields pages; the poll cycle stores each page's posts and its cursor in one transaction,
/// so the cursor a page carries must be safe to resume from if the process dies right after it.
/// </summary>
public interface ISource
{
    string Platform { get; }

    IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, CancellationToken cancellationToken);
}

/// <summary>What a poll may know beyond the account: the clock, the back-fill window, whether profiles are due.</summary>
public sealed record SourceContext(DateTimeOffset Now, TimeSpan Backfill, bool ProfileDue)
{
    public DateTimeOffset BackfillFrom => Now - Backfill;
}

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
    public static readonly TimeSpan ListingMargin = TimeSpan.FromMinutes(1);
}

public enum SourceErrorKind
{
    NotFound,
    Unauthorized,
    RateLimited,
    Transient,
    Malformed,
}

/// <summary>The one exception a source throws: what happened, and until when to leave it alone.</summary>
public sealed class SourceException(SourceErrorKind kind, string message, DateTimeOffset? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SourceErrorKind Kind { get; } = kind;
    /// <summary>For rate limits: the earliest moment worth asking again.</summary>
    public DateTimeOffset? RetryAfter { get; } = retryAfter;

    public string KindName => NameOf(Kind);

    /// <summary>The kind as stored on an account's row and printed: not_found, unauthorized, rate_limited, transient, malformed.</summary>
    public static string NameOf(SourceErrorKind kind) => kind switch
    {
        SourceErrorKind.NotFound => "not_found",
        SourceErrorKind.Unauthorized => "unauthorized",
        SourceErrorKind.RateLimited => "rate_limited",
        SourceErrorKind.Transient => "transient",
        SourceErrorKind.Malformed => "malformed",
        _ => kind.ToString(),
    };
}
