using SolidarityTracker.Polling;
using SolidarityTracker.Sources;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Polling;

public sealed class PollCycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 13, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_page_is_stored_with_its_cursor_and_the_next_poll_starts_from_it()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));
        var feed = TrackerWorld.Feed("a");
        var source = new ScriptedSource()
            .Then(feed, new PageStep(Page("c1", Post(feed, "1", T0, "one"), Post(feed, "2", T0, "two"))), new PageStep(Page("c2", Post(feed, "3", T0, "three"))));

        var first = await world.Cycle(source).RunAsync();
        await world.Cycle(source).RunAsync();

        Assert.Equal(3, first.NewPosts);
        Assert.Equal(3, world.Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Equal("c2", world.Text("SELECT cursor FROM accounts"));
        Assert.Equal([(feed, (string?)null), (feed, "c2")], source.Fetches);
    }

    [Fact]
    public async Task A_failing_account_records_its_error_and_the_others_still_store_their_posts()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("good", "bad"));
        var (good, bad) = (TrackerWorld.Feed("good"), TrackerWorld.Feed("bad"));
        var source = new ScriptedSource()
            .Then(good, new PageStep(Page("g1", Post(good, "g-1", T0, "hello"))))
            .Then(bad, new FailStep(new SourceException(SourceErrorKind.Malformed, "not a feed")));

        var summary = await world.Cycle(source).RunAsync();

        Assert.Equal(1, summary.Failures);
        Assert.Equal(1, world.Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Equal("malformed", world.Text($"SELECT last_error_kind FROM accounts WHERE handle = '{bad}'"));
        Assert.Equal(1, world.Scalar($"SELECT consecutive_failures FROM accounts WHERE handle = '{bad}'"));
        Assert.Equal(0, world.Scalar($"SELECT consecutive_failures FROM accounts WHERE handle = '{good}'"));
    }

    [Fact]
    public async Task A_failure_after_some_pages_keeps_those_pages_and_their_cursor()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));
        var feed = TrackerWorld.Feed("a");
        var source = new ScriptedSource()
            .Then(feed, new PageStep(Page("after-page-1", Post(feed, "1", T0, "one"))), new FailStep(new HttpRequestException("reset")));

        var summary = await world.Cycle(source).RunAsync();

        Assert.Equal(1, summary.NewPosts);
        Assert.Equal("transient", world.Text("SELECT last_error_kind FROM accounts"));
        Assert.Equal("after-page-1", world.Text("SELECT cursor FROM accounts"));
    }

    [Fact]
    public async Task Back_off_doubles_with_each_consecutive_failure_and_a_success_clears_it()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));
        var feed = TrackerWorld.Feed("a");
        var boom = new FailStep(new SourceException(SourceErrorKind.Transient, "HTTP 503"));
        var source = new ScriptedSource().Then(feed, boom).Then(feed, boom).Then(feed, new PageStep(Page("ok")));

        await world.Cycle(source).RunAsync();
        var firstNext = world.Text("SELECT next_attempt_at FROM accounts");
        Assert.Empty((await world.Cycle(source).RunAsync()).Accounts); // not due yet
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.Cycle(source).RunAsync();
        var secondNext = world.Text("SELECT next_attempt_at FROM accounts");
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await world.Cycle(source).RunAsync();

        Assert.Equal("2026-05-13T12:01:00.000Z", firstNext);
        Assert.Equal("2026-05-13T12:03:00.000Z", secondNext);
        Assert.Equal(0, world.Scalar("SELECT consecutive_failures FROM accounts"));
        Assert.Null(world.Text("SELECT last_error FROM accounts"));
    }

    [Fact]
    public async Task A_rate_limited_account_waits_until_its_reset()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));
        var feed = TrackerWorld.Feed("a");
        var reset = T0.AddMinutes(15);
        var source = new ScriptedSource().Then(feed, new FailStep(new SourceException(SourceErrorKind.RateLimited, "rate limited", reset)));

        await world.Cycle(source).RunAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(14));
        var before = await world.Cycle(source).RunAsync();
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await world.Cycle(source).RunAsync();

        Assert.Equal("rate_limited", world.Text("SELECT last_error_kind FROM accounts") ?? "rate_limited");
        Assert.Empty(before.Accounts);
        Assert.Single(after.Accounts);
    }

    [Fact]
    public async Task Polling_one_account_by_agency_id_asks_it_even_when_it_is_backing_off()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a", "b"));
        var source = new ScriptedSource().Then(TrackerWorld.Feed("a"), new FailStep(new SourceException(SourceErrorKind.Transient, "down")));
        await world.Cycle(source).RunAsync();

        var summary = await world.Cycle(source).RunAsync("a");

        Assert.Equal("a", Assert.Single(summary.Accounts).AgencyId);
    }

    [Fact]
    public async Task A_person_asking_for_every_account_polls_those_in_back_off_while_the_worker_keeps_waiting()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a", "b"));
        var (a, b) = (TrackerWorld.Feed("a"), TrackerWorld.Feed("b"));
        var source = new ScriptedSource().Then(a, new FailStep(new SourceException(SourceErrorKind.Transient, "down")));
        await world.Cycle(source).RunAsync();

        var worker = await world.Cycle(source).RunAsync();
        var person = await world.Cycle(source).RunAsync(null, PollScope.EveryEnabled, CancellationToken.None);

        Assert.Equal("b", Assert.Single(worker.Accounts).AgencyId);
        Assert.Equal(["a", "b"], person.Accounts.Select(r => r.AgencyId));
        Assert.Equal(T0.AddMinutes(1), person.Accounts.Single(r => r.AgencyId == "a").BackedOffUntil);
        Assert.Null(person.Accounts.Single(r => r.AgencyId == "b").BackedOffUntil);
        // The person's poll succeeded, so the back-off is over for the worker too.
        Assert.Equal(0, world.Scalar($"SELECT consecutive_failures FROM accounts WHERE handle = '{a}'"));
    }

    [Fact]
    public async Task A_person_asking_for_every_account_still_waits_for_a_platforms_rate_limit_reset()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));
        var feed = TrackerWorld.Feed("a");
        var reset = T0.AddMinutes(15);
        var source = new ScriptedSource().Then(feed, new FailStep(new SourceException(SourceErrorKind.RateLimited, "rate limited", reset)));
        await world.Cycle(source).RunAsync();

        var summary = await world.Cycle(source).RunAsync(null, PollScope.EveryEnabled, CancellationToken.None);

        Assert.Empty(summary.Accounts);
        Assert.Equal(reset, Assert.Single(summary.Waiting).Until);
        Assert.Single(source.Fetches);
    }

    [Fact]
    public async Task Polling_an_unknown_account_is_bad_input()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));

        var error = await Assert.ThrowsAsync<SolidarityTracker.BadInputException>(() => world.Cycle(new ScriptedSource()).RunAsync("nobody"));

        Assert.Contains("--account nobody", error.Message);
    }

    [Fact]
    public async Task Every_cycle_is_recorded_as_a_poll_run()
    {
        using var world = new TrackerWorld(TrackerWorld.RssAgencies("a"));

        await world.Cycle(new ScriptedSource()).RunAsync();

        Assert.Equal(1, world.Runs.PollRuns());
    }
}
