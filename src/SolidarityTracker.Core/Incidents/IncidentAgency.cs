namespace SolidarityTracker.Incidents;

public sealed record IncidentAgency(string Id, string Name, string? State, int Posts, bool Alerted, IncidentPost FirstPost);
