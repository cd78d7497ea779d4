namespace SolidarityTracker.Sources.X;

public sealed record XUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("profile_image_url")] string? ProfileImageUrl);
