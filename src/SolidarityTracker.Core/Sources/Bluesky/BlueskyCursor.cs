namespace SolidarityTracker.Sources.Bluesky;

/// <summary>
/// Where an account's next poll stops, stored as JSON on the account row. getAuthorFeed has no "since": every
/// poll reads from the top until it meets <see cref="Newest"/>, the newest item already stored.
/// The top of the feed is the first page, but it may only become <see cref="Newest"/> once the whole walk down
/// to the old mark is stored; until then pages carry it as <see cref="Pending"/> with the feed cursor to
/// <see cref="Resume"/> from, so a poll that dies half-way goes on where it stopped and skips nothing.
/// </summary>
public sealed record BlueskyCursor(
    [property: JsonPropertyName("newest")] BlueskyMark? Newest = null,
    [property: JsonPropertyName("pending_newest")] BlueskyMark? Pending = null,
    [property: JsonPropertyName("resume")] string? Resume = null)
{
    [JsonIgnore]
    public bool IsResuming => Pending is not null && !string.IsNullOrEmpty(Resume);

    public static BlueskyCursor? Parse(string? json) => CursorJson.Read<BlueskyCursor>(json);

    public string ToJson() => CursorJson.Write(this);
}
