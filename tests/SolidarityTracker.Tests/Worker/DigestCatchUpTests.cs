using SolidarityTracker.Configuration;
using SolidarityTracker.Worker;

namespace SolidarityTracker.Tests.Worker;

public sealed class DigestCatchUpTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly string SevenAm = CronSchedule.Normalize("0 7 * * *")!;

    [Fact]
    public void A_digest_missed_at_seven_runs_at_start_up_for_the_previous_day()
    {
        var now = new DateTimeOffset(2026, 7, 18, 9, 30, 0, TimeSpan.FromHours(-4));

        var missed = DigestCatchUp.MissedDay(SevenAm, NewYork, now, _ => false);

        Assert.Equal(new DateOnly(2026, 7, 17), missed);
    }

    [Fact]
    public void A_digest_already_rendered_is_not_run_again()
    {
        var now = new DateTimeOffset(2026, 7, 18, 9, 30, 0, TimeSpan.FromHours(-4));

        Assert.Null(DigestCatchUp.MissedDay(SevenAm, NewYork, now, day => day == new DateOnly(2026, 7, 17)));
    }

    [Fact]
    public void Before_seven_the_missed_digest_is_yesterdays_run_for_the_day_before()
    {
        var now = new DateTimeOffset(2026, 7, 18, 6, 0, 0, TimeSpan.FromHours(-4));

        Assert.Equal(new DateOnly(2026, 7, 16), DigestCatchUp.MissedDay(SevenAm, NewYork, now, _ => false));
    }

    [Fact]
    public void A_five_field_cron_is_widened_to_quartz_seconds_first()
    {
        Assert.Equal("0 0 7 * * ?", SevenAm);
        Assert.Equal("0 */10 * ? * MON-FRI", CronSchedule.Normalize("*/10 * * * MON-FRI"));
        Assert.Null(CronSchedule.Normalize("61 * * * *"));
    }
}
