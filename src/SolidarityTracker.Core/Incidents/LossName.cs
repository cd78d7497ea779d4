namespace SolidarityTracker.Incidents;

/// <summary>One name a post gives its loss: "officer:reyes" (Officer Daniel Reyes), "tag:millbrookstrong", "agency:millbrook-pd", "place:millbrook".</summary>
public readonly record struct LossName(string Key, string Kind, int Priority, string Title);
