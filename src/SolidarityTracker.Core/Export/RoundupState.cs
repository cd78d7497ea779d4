namespace SolidarityTracker.Export;

public sealed record RoundupState(string Name, IReadOnlyList<RoundupAgency> Agencies);
