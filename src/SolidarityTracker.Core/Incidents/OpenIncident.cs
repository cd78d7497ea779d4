namespace SolidarityTracker.Incidents;

/// <summary>An open incident: the stricken agency, when known, and its state.</summary>
public sealed record OpenIncident(string? StrickenAgencyId, string? State);
