namespace SolidarityTracker.Sources.X;

/// <summary>
/// X's problem object, in both places it comes: a 4xx/5xx body ({"title","detail","type","status"}, and "period" on a
/// usage cap) and an entry of a response's `errors` array (partial errors ride on HTTP 200, with "resource_type",
/// "parameter" and "value" saying what was not found).
/// </summary>
public sealed record XProblem(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("status")] int? Status = null,
    [property: JsonPropertyName("period")] string? Period = null,
    [property: JsonPropertyName("resource_type")] string? ResourceType = null,
    [property: JsonPropertyName("parameter")] string? Parameter = null,
    [property: JsonPropertyName("value")] string? Value = null);
