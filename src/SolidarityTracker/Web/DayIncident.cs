namespace SolidarityTracker.Web;

/// <summary>An incident as the dashboard names it: the digest's grouping of one local day, with an id that finds it again.</summary>
public sealed record DayIncident(string Id, DateOnly Date, DigestIncident Incident);
