namespace SolidarityTracker.Model;

public sealed record Agency(string Id, string Name, string? State);
