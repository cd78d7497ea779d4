using System.Globalization;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Export;

public sealed record TimelineReport(string By, TimeZoneInfo Zone, IReadOnlyList<TimelineBucket> Buckets);
