using SolidarityTracker.Digests;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Digests;
using SolidarityTracker.Tests.Support;
using SolidarityTracker.Web;

namespace SolidarityTracker.Tests.Web;

public sealed class IncidentCatalogTests
{
    [Fact]
    public async Task A_stale_day_is_served_at_once_while_one_rebuild_reads_it_again_in_the_background()
    {
        using var world = new DigestWorld();
        await DigestScenario.SeedAsync(world);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var catalog = new IncidentCatalog(world.Service(), world.Posts, world.Accounts, world.Settings, clock);
        var first = await catalog.DayAsync(DigestScenario.Day);
        var count = first.Summary.Posts;

        await world.AddAsync((world.Post("river-pd", new DateTimeOffset(2026, 5, 13, 16, 0, 0, TimeSpan.Zero), "Thoughts and prayers to Millbrook"), [Labels.Condolence]));
        // Still fresh: the same model, no rebuild.
        Assert.Same(first, await catalog.DayAsync(DigestScenario.Day));

        clock.Advance(IncidentCatalog.Freshness + TimeSpan.FromSeconds(1));
        // Stale: the request gets the model it had, at once; the new post arrives with the rebuild.
        Assert.Same(first, await catalog.DayAsync(DigestScenario.Day));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        DigestModel latest = first;
        while (ReferenceEquals(latest, first) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            latest = await catalog.DayAsync(DigestScenario.Day);
        }
        Assert.NotSame(first, latest);
        Assert.Equal(count + 1, latest.Summary.Posts);
    }
}
