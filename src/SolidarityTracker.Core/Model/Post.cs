namespace SolidarityTracker.Model;

/// <summary>One public post as the platform served it, normalised. Text is untrusted.</summary>
public sealed record Post
{
    public required string Platform { get; init; }
    /// <summary>The platform's own id, always a string (X ids exceed 2^53).</summary>
    public required string PostId { get; init; }
    public string? AgencyId { get; init; }
    /// <summary>The account's handle (or feed URL for rss) the post came from.</summary>
    public required string Account { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Url { get; init; }
    public required string Text { get; init; }
    public bool IsRepost { get; init; }
    public bool IsReply { get; init; }
    public string? Lang { get; init; }
    /// <summary>The platform's JSON (or XML) for this post, kept as served.</summary>
    public string? RawJson { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
}
