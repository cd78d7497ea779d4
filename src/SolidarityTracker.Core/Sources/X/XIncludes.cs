namespace SolidarityTracker.Sources.X;

public sealed record XIncludes(
    [property: JsonPropertyName("tweets")] IReadOnlyList<XTweet>? Tweets,
    [property: JsonPropertyName("users")] IReadOnlyList<XUser>? Users);
