namespace SolidarityTracker.Sources.Mastodon;

/// <summary>
/// Where an account's next poll starts, stored as JSON on the account row.
/// Steady state: <c>{"min_id":"…"}</c>, the newest status stored; the next poll asks for what is newer.
/// During the first poll's back-fill (newest page first, then older with max_id):
/// <c>{"backfill_newest":"…","max_id":"…"}</c>, so a poll that dies half-way resumes the walk back
/// instead of skipping it, and only the page that ends the walk sets <c>min_id</c>.
/// </summary>
public sealed record MastodonCursor(
    [property: JsonPropertyName("min_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MinId = null,
    [property: JsonPropertyName("backfill_newest"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BackfillNewest = null,
    [property: JsonPropertyName("max_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MaxId = null)
{
    [JsonIgnore]
    public bool IsBackfill => MinId is null && BackfillNewest is not null && MaxId is not null;

    public static MastodonCursor? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var cursor = JsonSerializer.Deserialize<MastodonCursor>(json);
            return cursor is { MinId: not null } or { IsBackfill: true } ? cursor : null;
        }
        catch (JsonException)
        {
            return null; // not ours (an older format): start as on a first poll; storing by post id makes that safe
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Mastodon ids are numeric strings (snowflakes) beyond 2^53; longer means newer, then ordinal.</summary>
    public static int CompareIds(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
