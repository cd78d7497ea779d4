namespace SolidarityTracker.Alerts;

public sealed record AlertAgency(string Id, string Name, string? State);
