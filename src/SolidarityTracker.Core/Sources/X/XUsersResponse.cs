namespace SolidarityTracker.Sources.X;

/// <summary>GET /2/users?ids=</summary>
public sealed record XUsersResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<XUser>? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<XProblem>? Errors);
