namespace SolidarityTracker.Sources.X;

/// <summary>GET /2/users/:id/tweets. `data` stays raw so each post keeps its JSON as served.</summary>
public sealed record XTimelineResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<JsonElement>? Data,
    [property: JsonPropertyName("includes")] XIncludes? Includes,
    [property: JsonPropertyName("meta")] XMeta? Meta,
    [property: JsonPropertyName("errors")] IReadOnlyList<XProblem>? Errors);
