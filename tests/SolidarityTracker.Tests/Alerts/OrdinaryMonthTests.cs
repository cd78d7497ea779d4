using SolidarityTracker.Bench;
using SolidarityTracker.Alerts;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Alerts;

public sealed class OrdinaryMonthTests
{
    /// <summary>The world's clock, known only once the world is built (the replay source is one of its parts).</summary>
    private sealed class LateClock : TimeProvider
    {
        public TimeProvider? Inner { get; set; }
        public override DateTimeOffset GetUtcNow() => Inner!.GetUtcNow();
    }

    [Fact]
    public async Task A_month_of_ordinary_posts_from_200_agencies_raises_no_incident_alert()
    {
        var start = new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero);
        await using var hooks = await WebhookReceiver.StartAsync();
        var accounts = ReplayPosts.Accounts(200);
        var clock = new LateClock();
        var source = new ReplaySource(clock);
        source.AddRange(ReplayPosts.Ordinary(accounts, start, TimeSpan.FromDays(30), perDay: 1, seed: 5));
        var agencies = accounts.Select(a => new { Id = a.AgencyId, a.Name, a.State, Accounts = new[] { new { Platform = "rss", Url = a.Feed } } }).ToArray();
        using var world = new AlertWorld(agencies, new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, start, replaced: source);
        clock.Inner = world.Clock;

        // Hourly cycles, each polling the accounts that posted since the last (an idle account adds nothing to detect),
        // then finishing as a cycle does: every post is stored well inside Alerts:Incident:Window, where it could count.
        var previous = start - TimeSpan.FromHours(1);
        for (var at = start; at <= start + TimeSpan.FromDays(30); at += TimeSpan.FromHours(1))
        {
            world.Clock.Set(at);
            var posting = source.Posting(previous, at).ToHashSet();
            foreach (var account in world.Get<AccountStore>().All().Where(a => posting.Contains(a.Handle)))
                await world.Cycle.PollAccountAsync(account, default);
            await world.Get<AlertOutbox>().FinishCycleAsync();
            await world.Dispatcher.DrainAsync();
            previous = at;
        }

        Assert.Equal(source.Count, world.Scalar("SELECT COUNT(*) FROM posts"));
        // The month had its own losses and remembrances, each named once: candidates, but no wave.
        Assert.True(world.Scalar("SELECT COUNT(*) FROM classifications WHERE labels LIKE '%condolence%' OR labels LIKE '%memorial%'") > 150);
        Assert.Empty(world.Incidents);
        Assert.Empty(world.Alerts);
        Assert.Empty(hooks.Bodies);
    }
}
