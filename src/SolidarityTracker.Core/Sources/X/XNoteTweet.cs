namespace SolidarityTracker.Sources.X;

/// <summary>A post longer than 280 characters: its whole text (`text` is then cut).</summary>
public sealed record XNoteTweet([property: JsonPropertyName("text")] string? Text);
