namespace SolidarityTracker.Sources.Bluesky;

/// <summary>
/// Where an account's next poll stops, stored as JSON on the account row. getAuthorFeed has no "since": every
/// poll reads from the top until it meets <see cref="Newest"/>, the newest item already stored.
/// The top of the feed is the first page, but it may only become <see cref="Newest"/> once the whole walk down
/// to the old mark is stored; until then pages carry it as <see cref="Pending"/> with the feed cursor to
/// <see cref="Resume"/> from, so a poll that dies half-way goes on where it stopped and skips nothing.
/// </summary>
public sealed record BlueskyCursor(
    [property: JsonPropertyName("newest"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BlueskyMark? Newest = null,
    [property: JsonPropertyName("pending_newest"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BlueskyMark? Pending = null,
    [property: JsonPropertyName("resume"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Resume = null)
{
    [JsonIgnore]
    public bool IsResuming => Pending is not null && !string.IsNullOrEmpty(Resume);

    public static BlueskyCursor? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<BlueskyCursor>(json);
        }
        catch (JsonException)
        {
            return null; // not ours: poll as for the first time; storing by post id makes that safe
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this);
}
