namespace SolidarityTracker.Alerts;

public sealed record AlertPost(string Platform, string PostId, string AgencyId, string? Url, string Text, IReadOnlyList<string> Labels, string CreatedAt);
