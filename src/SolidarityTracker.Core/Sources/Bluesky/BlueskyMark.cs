namespace SolidarityTracker.Sources.Bluesky;

/// <summary>A feed item as a stop mark: its key (see <see cref="BlueskySource"/>) and its place in the feed's order.</summary>
public sealed record BlueskyMark(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("at")] DateTimeOffset At);
