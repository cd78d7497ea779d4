namespace SolidarityTracker.Incidents;

/// <summary>A stored incident: the loss, when it began and last grew, and who responded (first post each).</summary>
public sealed record Incident(
    long Id, string Key, string Kind, string Title, IReadOnlyList<string> Aliases,
    DateTimeOffset FirstAt, DateTimeOffset LastAt, DateTimeOffset OpenedAt, DateTimeOffset AlertedAt,
    int PostCount, IncidentPost FirstPost, IReadOnlyList<IncidentAgency> Agencies);
