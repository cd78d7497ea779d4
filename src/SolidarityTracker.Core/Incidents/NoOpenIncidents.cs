namespace SolidarityTracker.Incidents;

/// <summary>Until incident detection is registered, no incident is ever open.</summary>
public sealed class NoOpenIncidents : IOpenIncidents
{
    public IReadOnlyList<OpenIncident> Open(DateTimeOffset now) => [];
}
