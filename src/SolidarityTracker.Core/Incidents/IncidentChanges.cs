namespace SolidarityTracker.Incidents;

/// <summary>What one stored page did to incidents: the ones it opened, and the ones it gave new agencies.</summary>
public sealed record IncidentChanges(IReadOnlyList<long> Opened, IReadOnlyList<long> Grown)
{
    public static readonly IncidentChanges None = new([], []);
}
