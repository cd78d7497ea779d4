namespace SolidarityTracker.Polling;

/// <summary>
/// An account's next check, Miniflux's entry-frequency scheduler adapted: the interval follows how often the account
/// posted lately (a decaying count, half-life a week), a poll that finds new posts halves it, an empty one lengthens
/// it by half, always between Polling:MinInterval and Polling:MaxInterval.
/// </summary>
public sealed record CheckPlan(DateTimeOffset NextCheckAt, TimeSpan Interval, double RecentPosts)
{
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(7);
    /// <summary>Checks per expected post: two, so a post waits on average a quarter of the gap between posts.</summary>
    public const double ChecksPerPost = 2;
    private const double EmptyGrowth = 1.5;

    public static CheckPlan After(AccountState account, int newPosts, DateTimeOffset now, PollingOptions polling)
    {
        // A first poll reads the back-fill window: its posts say how often the account posts, scaled to a week.
        var recent = account.CheckInterval is null && polling.BackfillDays > 0
            ? newPosts * HalfLife.TotalDays / polling.BackfillDays
            : Decayed(account, now) + newPosts;
        var target = FromRate(recent, polling);
        var interval = account.CheckInterval switch
        {
            null => target,
            { } previous when newPosts > 0 => Min(previous / 2, target),
            { } previous => previous * EmptyGrowth,
        };
        interval = Clamp(interval, polling);
        return new CheckPlan(now + interval, interval, recent);
    }

    /// <summary>The interval the account's recent posting alone asks for: the mean gap between posts over <see cref="ChecksPerPost"/>.</summary>
    public static TimeSpan FromRate(double recentPosts, PollingOptions polling) =>
        recentPosts <= 0 ? polling.MaxInterval : Clamp(TimeSpan.FromTicks((long)Math.Min(HalfLife.Ticks / (recentPosts * ChecksPerPost), TimeSpan.MaxValue.Ticks / 2)), polling);

    /// <summary>How many posts the account has likely written since it was last asked: what the budget is spent on first.</summary>
    public static double ExpectedPosts(AccountState account, DateTimeOffset now)
    {
        var since = account.LastAttemptAt is { } at ? Math.Max((now - at).TotalDays, 0) : HalfLife.TotalDays;
        // One post a week as a floor, so a never-polled or silent account still ranks by how long it has waited.
        return Math.Max(Decayed(account, now), 1) / HalfLife.TotalDays * since;
    }

    private static double Decayed(AccountState account, DateTimeOffset now) =>
        account.LastSuccessAt is { } last && now > last ? account.RecentPosts * Math.Pow(0.5, (now - last) / HalfLife) : account.RecentPosts;

    private static TimeSpan Clamp(TimeSpan interval, PollingOptions polling) =>
        interval < polling.MinInterval ? polling.MinInterval : interval > polling.MaxInterval ? polling.MaxInterval : interval;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
