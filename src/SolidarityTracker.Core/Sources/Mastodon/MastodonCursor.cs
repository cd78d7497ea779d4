namespace SolidarityTracker.Sources.Mastodon;

/// <summary>
/// Where an account's next poll starts, stored as JSON on the account row.
/// Steady state: <c>{"min_id":"…"}</c>, the newest status stored; the next poll asks for what is newer.
/// During the first poll's back-fill (newest page first, then older with max_id):
/// <c>{"backfill_newest":"…","max_id":"…"}</c>, so a poll that dies half-way resumes the walk back
/// instead of skipping it, and only the page that ends the walk sets <c>min_id</c>.
/// </summary>
public sealed record MastodonCursor(
    [property: JsonPropertyName("min_id")] string? MinId = null,
    [property: JsonPropertyName("backfill_newest")] string? BackfillNewest = null,
    [property: JsonPropertyName("max_id")] string? MaxId = null)
{
    [JsonIgnore]
    public bool IsBackfill => MinId is null && BackfillNewest is not null && MaxId is not null;

    /// <summary>Null, as for a first poll, also when the JSON is readable but neither state (an older format).</summary>
    public static MastodonCursor? Parse(string? json) =>
        CursorJson.Read<MastodonCursor>(json) is { } cursor && (cursor.MinId is not null || cursor.IsBackfill) ? cursor : null;

    public string ToJson() => CursorJson.Write(this);

    /// <summary>Mastodon ids are numeric strings (snowflakes) beyond 2^53; longer means newer, then ordinal.</summary>
    public static int CompareIds(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
