namespace SolidarityTracker.Sources.Rss;

/// <summary>
/// An rss account's cursor: the caching headers of the last 200, and the floor below which items are
/// ignored (the first poll's back-fill start). Its presence also says the feed has been polled before.
/// </summary>
internal sealed record RssCursor(string? ETag, string? LastModified, DateTimeOffset? Since)
{
    private sealed record Json(string? etag, string? lastModified, DateTimeOffset? since);

    public static RssCursor? Parse(string? json) =>
        CursorJson.Read<Json>(json) is { } value ? new RssCursor(value.etag, value.lastModified, value.since) : null;

    // Null fields are written (as they always were), unlike CursorJson.Write: the stored cursors stay the same text.
    public string ToJson() => JsonSerializer.Serialize(new Json(ETag, LastModified, Since));
}
