namespace SolidarityTracker.Sources.Rss;

/// <summary>
/// An rss account's cursor: the caching headers of the last 200, and the floor below which items are
/// ignored (the first poll's back-fill start). Its presence also says the feed has been polled before.
/// </summary>
internal sealed record RssCursor(string? ETag, string? LastModified, DateTimeOffset? Since)
{
    private sealed record Json(string? etag, string? lastModified, DateTimeOffset? since);

    public static RssCursor? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var value = System.Text.Json.JsonSerializer.Deserialize<Json>(json);
            return value is null ? null : new RssCursor(value.etag, value.lastModified, value.since);
        }
        catch (System.Text.Json.JsonException)
        {
            // A cursor we cannot read is a first poll again; the keys keep it from duplicating anything.
            return null;
        }
    }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(new Json(ETag, LastModified, Since));
}
