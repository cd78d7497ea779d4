namespace SolidarityTracker.Sources.X;

/// <summary>
/// Our own cursor: the newest id stored by a finished cycle, and while a cycle pages (newest to oldest)
/// the next page's token, the newest id that cycle has seen and the start_time it was asked with
/// (a pagination token belongs to the query it came from).
/// </summary>
public sealed record XCursor(
    [property: JsonPropertyName("since_id")] string? SinceId,
    [property: JsonPropertyName("pending")] XPendingPage? Pending)
{
    public static XCursor Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new XCursor(null, null);
        try { return JsonSerializer.Deserialize(json, XJsonContext.Default.XCursor) ?? new XCursor(null, null); }
        catch (JsonException) { return new XCursor(null, null); } // a cursor we cannot read is a first poll, not a dead account
    }

    public string ToJson() => JsonSerializer.Serialize(this, XJsonContext.Default.XCursor);
}
