namespace SolidarityTracker.Incidents;

public sealed record IncidentPost(long Id, string Platform, string PostId, string AgencyId, string? Url, string Text, IReadOnlyList<string> Labels, DateTimeOffset CreatedAt);
