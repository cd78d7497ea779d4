namespace SolidarityTracker.Sources.X;

/// <summary>GET /2/users/by/username/:username</summary>
public sealed record XUserResponse(
    [property: JsonPropertyName("data")] XUser? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<XProblem>? Errors);
