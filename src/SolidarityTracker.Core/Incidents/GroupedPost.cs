namespace SolidarityTracker.Incidents;

/// <summary>A post as the grouping sees it: whose it is, whether it may join an incident, and what it names.</summary>
public readonly record struct GroupedPost(string AgencyId, bool Counts, PostReferences References);
