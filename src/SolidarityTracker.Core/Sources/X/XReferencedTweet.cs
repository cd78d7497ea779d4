namespace SolidarityTracker.Sources.X;

public sealed record XReferencedTweet(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] string Id);
