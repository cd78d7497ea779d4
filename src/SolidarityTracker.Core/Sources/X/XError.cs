namespace SolidarityTracker.Sources.X;

/// <summary>An entry of a response's `errors` array: partial errors ride on HTTP 200, problems on 4xx.</summary>
public sealed record XError(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("resource_type")] string? ResourceType,
    [property: JsonPropertyName("parameter")] string? Parameter,
    [property: JsonPropertyName("value")] string? Value);
