using SolidarityTracker.Configuration;
using SolidarityTracker.Incidents;
using SolidarityTracker.Model;
using SolidarityTracker.Polling;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Polling;

public sealed class ScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 13, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_busy_account_is_checked_every_few_minutes_and_a_quiet_one_hourly()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("busy", "quiet"), T0);
        var (busy, quiet) = (TrackerWorld.Feed("busy"), TrackerWorld.Feed("quiet"));
        var source = new ScriptedSource();
        // 60 posts in the back-fill window, then a new post on every poll.
        source.Then(busy, new PageStep(Page("c0", Enumerable.Range(0, 60).Select(i => Post(busy, $"old{i}", T0.AddHours(-i), "news")).ToArray())));
        for (var i = 0; i < 200; i++) source.Then(busy, new PageStep(Page($"c{i + 1}", Post(busy, $"new{i}", T0.AddMinutes(i), "news"))));

        await Ticks(world, source, TimeSpan.FromHours(3));

        Assert.Equal(4, source.Fetches.Count(f => f.Handle == quiet)); // at 0, 60, 120 and 180 minutes
        Assert.True(source.Fetches.Count(f => f.Handle == busy) >= 40, $"busy was polled {source.Fetches.Count(f => f.Handle == busy)} times");
        Assert.Equal(120, world.Scalar($"SELECT check_interval_seconds FROM accounts WHERE handle = '{busy}'")); // Polling:MinInterval
        Assert.Equal(3600, world.Scalar($"SELECT check_interval_seconds FROM accounts WHERE handle = '{quiet}'")); // Polling:MaxInterval
    }

    [Fact]
    public void An_empty_poll_lengthens_the_next_check_and_one_with_new_posts_shortens_it()
    {
        var polling = new PollingOptions();
        var account = new AccountState
        {
            Id = 1, AgencyId = "a", Platform = Platforms.Rss, Handle = "h",
            CheckInterval = TimeSpan.FromMinutes(20), RecentPosts = 70, LastSuccessAt = T0.AddMinutes(-20),
        };

        var empty = CheckPlan.After(account, 0, T0, polling);
        var news = CheckPlan.After(account, 3, T0, polling);

        Assert.Equal(TimeSpan.FromMinutes(30), empty.Interval);
        Assert.Equal(T0.AddMinutes(30), empty.NextCheckAt);
        Assert.Equal(TimeSpan.FromMinutes(10), news.Interval);
        Assert.True(news.RecentPosts > empty.RecentPosts);
        Assert.Equal(polling.MaxInterval, CheckPlan.After(account with { CheckInterval = TimeSpan.FromMinutes(50) }, 0, T0, polling).Interval);
        Assert.Equal(polling.MinInterval, CheckPlan.After(account with { CheckInterval = TimeSpan.FromMinutes(3) }, 1, T0, polling).Interval);
    }

    [Fact]
    public async Task The_tick_leaves_an_account_alone_until_its_next_check_but_the_poll_command_asks_it_at_once()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"), T0);
        var source = new ScriptedSource();
        var scheduler = Scheduler(world);

        var first = await world.Cycle(source).RunScheduledAsync(scheduler);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await world.Cycle(source).RunScheduledAsync(scheduler);
        var asked = await world.Cycle(source).RunAsync();

        Assert.Single(first.Accounts);
        Assert.Empty(second.Accounts);
        Assert.Single(asked.Accounts);
        Assert.Equal(T0.AddMinutes(61), world.Accounts.All()[0].NextCheckAt);
    }

    [Fact]
    public async Task A_failing_account_backs_off_in_the_schedule_as_before()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"), T0);
        var feed = TrackerWorld.Feed("a");
        var source = new ScriptedSource()
            .Then(feed, new FailStep(new SolidarityTracker.Sources.SourceException(SolidarityTracker.Sources.SourceErrorKind.Transient, "down")))
            .Then(feed, new FailStep(new SolidarityTracker.Sources.SourceException(SolidarityTracker.Sources.SourceErrorKind.Transient, "down")));

        await Ticks(world, source, TimeSpan.FromMinutes(4));

        // Attempts at 0 (fails, waits 1 min), 1 (fails, waits 2 min), 3 (succeeds, next check in an hour).
        Assert.Equal(3, source.Fetches.Count);
        Assert.Equal(T0.AddMinutes(63), world.Accounts.All()[0].NextCheckAt);
    }

    [Fact]
    public async Task While_an_incident_is_open_every_account_is_checked_within_the_wave_interval_the_stricken_state_first()
    {
        var agencies = new[]
        {
            new { Id = "oh-1", Name = "Ohio 1", State = "OH", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("oh-1") } } },
            new { Id = "oh-2", Name = "Ohio 2", State = "OH", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("oh-2") } } },
            new { Id = "tx-1", Name = "Texas 1", State = "TX", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("tx-1") } } },
            new { Id = "tx-2", Name = "Texas 2", State = "TX", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("tx-2") } } },
        };
        using var world = new TrackerWorld(agencies, T0, polling: new { MaxConcurrency = 1 });
        var source = new ScriptedSource();
        var incidents = new SettableIncidents();
        await Ticks(world, source, TimeSpan.FromMinutes(10), incidents);
        Assert.Equal(4, source.Fetches.Count); // all quiet: next checks an hour away

        incidents.Now = [new OpenIncident("tx-2", "TX")];
        source.Fetches.Clear();
        await Ticks(world, source, TimeSpan.FromMinutes(30), incidents);

        Assert.Equal([TrackerWorld.Feed("tx-2"), TrackerWorld.Feed("tx-1")], source.Fetches.Take(2).Select(f => f.Handle));
        foreach (var agency in agencies)
            Assert.True(source.Fetches.Count(f => f.Handle == TrackerWorld.Feed(agency.Id)) >= 6, $"{agency.Id} was checked {source.Fetches.Count(f => f.Handle == TrackerWorld.Feed(agency.Id))} times in 30 minutes");
    }

    [Fact]
    public async Task The_X_budget_is_never_exceeded_and_the_accounts_most_likely_to_have_news_go_first()
    {
        var agencies = Enumerable.Range(0, 40).Select(i => new { Id = $"a{i}", Name = $"A {i}", State = "OH", Accounts = new[] { new { Platform = "x", Handle = $"agency{i}" } } }).ToArray();
        using var world = new TrackerWorld(agencies, T0, polling: new { MaxConcurrency = 1 });
        var settings = world.Settings with { Sources = new SourcesOptions { X = new XOptions { RequestsPer15Min = 20 } } };
        // Every account was last asked an hour ago; agency7 posts a hundred times a week, the others rarely.
        foreach (var account in world.Accounts.All())
            await world.Accounts.RecordSuccessAsync(account.Id, T0.AddHours(-1), false,
                new CheckPlan(T0, TimeSpan.FromHours(1), account.Handle == "agency7" ? 100 : 1));
        var source = new ScriptedSource(Platforms.X);
        var scheduler = new PollScheduler(world.Accounts, new RequestBudget(world.Clock), new NoOpenIncidents(), settings);

        var times = new List<DateTimeOffset>();
        for (var minute = 0; minute < 60; minute++)
        {
            var summary = await world.Cycle(source).RunScheduledAsync(scheduler);
            times.AddRange(summary.Accounts.Select(_ => world.Clock.GetUtcNow()));
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal("agency7", source.Fetches[0].Handle);
        foreach (var start in times)
            Assert.True(times.Count(t => t >= start && t < start.AddMinutes(15)) <= 20, $"more than 20 requests in the 15 minutes from {start:t}");
        // The budget is spread, not wasted: every account got its hourly check within the hour.
        Assert.Equal(40, source.Fetches.Select(f => f.Handle).Distinct().Count());
        Assert.True(times.Max() - times.Min() > TimeSpan.FromMinutes(30), "the checks were spread over the hour, not spent at once");
    }

    private static PollScheduler Scheduler(TrackerWorld world, IOpenIncidents? incidents = null) =>
        new(world.Accounts, new RequestBudget(world.Clock), incidents ?? new NoOpenIncidents(), world.Settings);

    /// <summary>The worker's tick once a minute over <paramref name="span"/>, the clock moved by hand.</summary>
    private static async Task Ticks(TrackerWorld world, ScriptedSource source, TimeSpan span, IOpenIncidents? incidents = null)
    {
        var scheduler = Scheduler(world, incidents);
        var end = world.Clock.GetUtcNow() + span;
        while (world.Clock.GetUtcNow() <= end)
        {
            await world.Cycle(source).RunScheduledAsync(scheduler);
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    private sealed class SettableIncidents : IOpenIncidents
    {
        public IReadOnlyList<OpenIncident> Now { get; set; } = [];
        public IReadOnlyList<OpenIncident> Open(DateTimeOffset now) => Now;
    }
}
