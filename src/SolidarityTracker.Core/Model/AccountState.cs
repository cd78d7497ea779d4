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
    /// <summary>When the worker's schedule next polls the account (null: at once).</summary>
    public DateTimeOffset? NextCheckAt { get; init; }
    /// <summary>The interval the schedule chose last, between Polling:MinInterval and Polling:MaxInterval.</summary>
    public TimeSpan? CheckInterval { get; init; }
    /// <summary>Posts found lately, decaying with a half-life of a week: about the posts of the last week.</summary>
    public double RecentPosts { get; init; }
    /// <summary>Set while the platform says the account is gone (<see cref="Sources.AccountGone"/>: suspended, deleted, deactivated): asked again about once a day.</summary>
    public string? Gone { get; init; }
    /// <summary>The handle the platform now gives the account when it differs from the configured one (an X account renamed; followed by its id).</summary>
    public string? CurrentHandle { get; init; }
}
