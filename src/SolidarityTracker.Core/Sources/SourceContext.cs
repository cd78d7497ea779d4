using SolidarityTracker.Model;

namespace SolidarityTracker.Sources;

/// <summary>What a poll may know beyond the account: the clock, the back-fill window, whether profiles are due.</summary>
public sealed record SourceContext(DateTimeOffset Now, TimeSpan Backfill, bool ProfileDue)
{
    public DateTimeOffset BackfillFrom => Now - Backfill;
}
