namespace SolidarityTracker.Incidents;

/// <summary>
/// What the schedule needs of incident detection: which incidents are open now, and whom they struck. While any is
/// open every account is checked at least every Polling:WaveInterval, the stricken agency's peers (same state) first.
/// </summary>
public interface IOpenIncidents
{
    IReadOnlyList<OpenIncident> Open(DateTimeOffset now);
}

/// <summary>An open incident: the stricken agency, when known, and its state.</summary>
public sealed record OpenIncident(string? StrickenAgencyId, string? State);

/// <summary>Until incident detection is registered, no incident is ever open.</summary>
public sealed class NoOpenIncidents : IOpenIncidents
{
    public IReadOnlyList<OpenIncident> Open(DateTimeOffset now) => [];
}
