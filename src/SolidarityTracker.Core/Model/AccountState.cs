namespace SolidarityTracker.Model;

/// <summary>An account as the poll cycle sees it: its configuration and its stored state.</summary>
public sealed record AccountState
{
    public required long Id { get; init; }
    public required string AgencyId { get; init; }
    public required string Platform { get; init; }
    /// <summary>Handle for social platforms, feed URL for rss.</summary>
    public required string Handle { get; init; }
    /// <summary>The platform's id for the account once resolved (X user id, Mastodon account id, Bluesky DID).</summary>
    public string? ExternalId { get; init; }
    /// <summary>Opaque to everyone but the account's source: where the next poll starts.</summary>
    public string? Cursor { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public string? LastErrorKind { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public int ConsecutiveFailures { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? ProfileCheckedAt { get; init; }
    public bool Enabled { get; init; } = true;
}
