namespace SolidarityTracker.Alerts;

public sealed record AlertAccount(string Platform, string Handle, string AgencyId);
