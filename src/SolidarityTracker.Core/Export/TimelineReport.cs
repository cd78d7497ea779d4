namespace SolidarityTracker.Export;

public sealed record TimelineReport(string By, TimeZoneInfo Zone, IReadOnlyList<TimelineBucket> Buckets);
