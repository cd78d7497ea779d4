using Quartz;

namespace SolidarityTracker.Worker;

/// <summary>
/// A digest missed while the host was down (it was off at 07:00) runs once at start-up: the most recent
/// Digest:Cron time in the last two days, if the day it renders has no digest yet.
/// </summary>
public static class DigestCatchUp
{
    public static DateOnly? MissedDay(string quartzCron, TimeZoneInfo zone, DateTimeOffset now, Func<DateOnly, bool> rendered)
    {
        var expression = new CronExpression(quartzCron) { TimeZone = zone };
        DateTimeOffset? last = null;
        var probe = now.AddDays(-2);
        while (expression.GetNextValidTimeAfter(probe) is { } next && next <= now)
        {
            last = next;
            probe = next;
        }
        if (last is not { } fired) return null;
        var day = DigestDayFor(fired, zone);
        return rendered(day) ? null : day;
    }

    /// <summary>A digest fired at T renders the local day before T's.</summary>
    public static DateOnly DigestDayFor(DateTimeOffset fireTime, TimeZoneInfo zone) => LocalDay.Of(fireTime, zone).AddDays(-1);
}
