namespace SolidarityTracker.Sources.X;

public sealed record XMeta(
    [property: JsonPropertyName("result_count")] int ResultCount,
    [property: JsonPropertyName("newest_id")] string? NewestId,
    [property: JsonPropertyName("oldest_id")] string? OldestId,
    [property: JsonPropertyName("next_token")] string? NextToken);
