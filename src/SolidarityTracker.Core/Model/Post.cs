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

/// <summary>A stored post with what the classifier said of it.</summary>
public sealed record StoredPost
{
    public required long Id { get; init; }
    public required Post Post { get; init; }
    public string? AgencyName { get; init; }
    public string? AgencyState { get; init; }
    public required ClassificationResult Classification { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
}
