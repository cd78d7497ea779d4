namespace SolidarityTracker.Incidents;

/// <summary>
/// What the schedule needs of incident detection: which incidents are open now, and whom they struck. While any is
/// open every account is checked at least every Polling:WaveInterval, the stricken agency's peers (same state) first.
/// </summary>
public interface IOpenIncidents
{
    IReadOnlyList<OpenIncident> Open(DateTimeOffset now);
}
