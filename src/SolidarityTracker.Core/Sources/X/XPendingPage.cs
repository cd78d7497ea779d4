namespace SolidarityTracker.Sources.X;

public sealed record XPendingPage(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("newest")] string? Newest,
    [property: JsonPropertyName("start_time")] string? StartTime);
