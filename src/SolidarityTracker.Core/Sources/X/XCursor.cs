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
    /// <summary>Never null: no cursor, or one we cannot read, is a first poll (not a dead account).</summary>
    public static XCursor Parse(string? json) => CursorJson.Read(json, XJsonContext.Default.XCursor) ?? new XCursor(null, null);

    public string ToJson() => JsonSerializer.Serialize(this, XJsonContext.Default.XCursor);
}
