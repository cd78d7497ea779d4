using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

public sealed record PlatformCap(string Platform, string Reason, DateTimeOffset Since, DateTimeOffset Until);
