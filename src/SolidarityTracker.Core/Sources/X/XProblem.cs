namespace SolidarityTracker.Sources.X;

/// <summary>A 4xx/5xx problem body: {"title","detail","type","status"}.</summary>
public sealed record XProblem(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("period")] string? Period = null);
