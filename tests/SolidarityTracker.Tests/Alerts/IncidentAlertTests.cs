using SolidarityTracker.Alerts;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Alerts;

/// <summary>Incident alerts from a poll cycle, on the SQLite store; <see cref="IncidentAlertsOnPostgresTests"/> runs the same on PostgreSQL.</summary>
public class IncidentAlertTests
{
    /// <summary>The switches that choose the store: none for the test folder's SQLite file.</summary>
    protected virtual string[] Store => [];

    protected static readonly DateTimeOffset Now = new(2026, 5, 13, 14, 0, 0, TimeSpan.Zero);

    public static string Condolence(string agency) =>
        $"The {agency} Police Department sends its deepest condolences to the Millbrook Police Department on the loss of Officer Daniel Reyes. #MillbrookStrong";

    private static object Hooks(WebhookReceiver hooks, object? incident = null) => new
    {
        Incident = incident ?? new { UpdateEvery = "00:00:00" },
        Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } },
    };

    [Fact]
    public async Task Three_agencies_posting_condolences_send_one_incident_alert_before_the_cycle_ends()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c", "d", "e"), Hooks(hooks, new { UpdateEvery = "01:00:00" }), Now, store: Store, replaced: source);
        foreach (var id in new[] { "a", "b", "c" })
            source.Then(TrackerWorld.Feed(id), Step(id, 1, Now.AddMinutes(-30)));

        var summary = await world.Cycle.RunAsync();

        var received = Assert.Single(hooks.To("/json"));
        var json = received.Json;
        Assert.Equal("incident", (string)json["kind"]!);
        Assert.Equal((string)json["id"]!, received.IdempotencyKey);
        Assert.Contains("Officer Daniel Reyes", (string)json["title"]!);
        Assert.Equal(["a", "b", "c"], json["agencies"]!.AsArray().Select(a => (string)a!["id"]!).Order());
        Assert.Equal(3, json["posts"]!.AsArray().Count);
        Assert.NotNull(json["incident_id"]);
        Assert.Equal("2026-05-13T14:00:00.000Z", (string)json["sent_at"]!);
        // Sent by the cycle itself: it was marked sent before RunAsync returned.
        Assert.Equal("sent", Assert.Single(Assert.Single(world.Alerts).Deliveries).Status);
        Assert.True(summary.Failures == 0, string.Join("\n", world.Get<SolidarityTracker.Storage.AccountStore>().All().Select(a => a.LastError)));
        var incident = Assert.Single(world.Incidents);
        Assert.Equal("Officer Daniel Reyes", incident.Title);
        Assert.Equal(3, incident.Agencies.Count);
        Assert.Contains("#MillbrookStrong", incident.Aliases);
    }

    [Fact]
    public async Task More_agencies_make_one_update_at_most_once_per_UpdateEvery()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c", "d", "e", "f"), Hooks(hooks, new { UpdateEvery = "01:00:00" }), Now, store: Store, replaced: source);
        foreach (var id in new[] { "a", "b", "c" }) source.Then(TrackerWorld.Feed(id), Step(id, 1, Now.AddMinutes(-30)));
        await world.Cycle.RunAsync();

        // Ten minutes on, two more agencies: the update waits for UpdateEvery.
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var id in new[] { "d", "e" }) source.Then(TrackerWorld.Feed(id), Step(id, 1, world.Clock.GetUtcNow().AddMinutes(-2)));
        await world.Cycle.RunAsync();
        Assert.Single(hooks.To("/json"));

        // An hour after the first alert, the next cycle sends one update naming both, though nobody new posted.
        world.Clock.Advance(TimeSpan.FromMinutes(55));
        await world.Cycle.RunAsync();
        var update = hooks.To("/json")[1].Json;
        Assert.Equal("incident_update", (string)update["kind"]!);
        Assert.Equal(["d", "e"], update["agencies"]!.AsArray().Select(a => (string)a!["id"]!).Order());
        Assert.Equal(2, hooks.To("/json").Count);

        // A later post by an agency already announced is no news.
        world.Clock.Advance(TimeSpan.FromHours(2));
        source.Then(TrackerWorld.Feed("a"), Step("a", 2, world.Clock.GetUtcNow().AddMinutes(-1)));
        await world.Cycle.RunAsync();
        Assert.Equal(2, hooks.To("/json").Count);
        Assert.Equal(5, Assert.Single(world.Incidents).Agencies.Count);
    }

    [Fact]
    public async Task Backfilled_posts_and_a_lone_condolence_never_open_an_incident()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c", "d"), Hooks(hooks), Now, store: Store, replaced: source);
        // The same wave, but two days old: a first poll's back-fill.
        foreach (var id in new[] { "a", "b", "c" }) source.Then(TrackerWorld.Feed(id), Step(id, 1, Now.AddDays(-2)));
        source.Then(TrackerWorld.Feed("d"), new PageStep(Page("c1", Post(TrackerWorld.Feed("d"), "d-lone", Now.AddMinutes(-5),
            "Our thoughts and prayers are with the family of Deputy Sam Ortiz of the Harlan County Sheriff's Office. Rest easy, Deputy."))));

        await world.Cycle.RunAsync();

        Assert.Empty(hooks.Bodies);
        Assert.Empty(world.Incidents);
        Assert.Empty(world.Alerts);
        Assert.Equal(4, world.Scalar("SELECT COUNT(*) FROM posts;"));
    }

    [Fact]
    public async Task A_channel_that_is_down_gets_the_alert_later_under_the_same_key()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        hooks.Failing = 500;
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"), Hooks(hooks), Now, store: Store, replaced: source);
        foreach (var id in new[] { "a", "b", "c" }) source.Then(TrackerWorld.Feed(id), Step(id, 1, Now.AddMinutes(-30)));

        await world.Cycle.RunAsync();
        var delivery = Assert.Single(Assert.Single(world.Alerts).Deliveries);
        Assert.Equal(("pending", 1), (delivery.Status, delivery.Attempts));
        Assert.Contains("HTTP 500", delivery.LastError);

        // Not due yet: nothing is sent before the back-off has passed.
        Assert.Equal(new AlertDispatcher.DispatchResult(0, 0), await world.Dispatcher.DispatchPendingAsync());
        world.Clock.Advance(AlertDispatcher.Backoff(1));
        Assert.Equal(new AlertDispatcher.DispatchResult(0, 1), await world.Dispatcher.DispatchPendingAsync());
        hooks.Failing = null;
        world.Clock.Advance(AlertDispatcher.Backoff(2));
        Assert.Equal(new AlertDispatcher.DispatchResult(1, 0), await world.Dispatcher.DispatchPendingAsync());
        Assert.Equal(new AlertDispatcher.DispatchResult(0, 0), await world.Dispatcher.DispatchPendingAsync());

        var tries = hooks.Bodies.ToList();
        Assert.Equal(3, tries.Count);
        Assert.Single(tries.Select(t => t.IdempotencyKey).Distinct());
        delivery = Assert.Single(Assert.Single(world.Alerts).Deliveries);
        Assert.Equal(("sent", 3), (delivery.Status, delivery.Attempts));
    }

    /// <summary>One page with one condolence post from agency <paramref name="id"/>.</summary>
    public static Step Step(string id, int n, DateTimeOffset at) =>
        new PageStep(Page($"c{n}", Post(TrackerWorld.Feed(id), $"{id}-{n}", at, Condolence(id.ToUpperInvariant()))));
}

/// <summary><see cref="IncidentAlertTests"/> with the store on a database of the throwaway PostgreSQL cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IncidentAlertsOnPostgresTests(PostgresFixture postgres) : IncidentAlertTests
{
    protected override string[] Store =>
        postgres.Server.NewStoreAsync().GetAwaiter().GetResult();

    [Fact]
    public async Task Two_nodes_dispatching_the_same_outbox_at_once_send_each_alert_once()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var store = Store;
        var source = new ScriptedSource();
        object alerts = new { Incident = new { UpdateEvery = "00:00:00" }, Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } };
        using var nodeA = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"), alerts, Now, store: store, replaced: source);
        using var nodeB = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"), alerts, Now, store: store, replaced: new ScriptedSource());
        foreach (var id in new[] { "a", "b", "c" }) source.Then(TrackerWorld.Feed(id), Step(id, 1, Now.AddMinutes(-30)));
        // The channel is down when the wave is stored: the alert waits in the outbox for its next attempt.
        hooks.Failing = 503;
        await nodeA.Cycle.RunAsync();
        Assert.Empty(hooks.To("/json"));

        hooks.Failing = null;
        nodeA.Clock.Advance(TimeSpan.FromMinutes(1));
        nodeB.Clock.Advance(TimeSpan.FromMinutes(1));
        var results = await Task.WhenAll(nodeA.Dispatcher.DrainAsync(), nodeB.Dispatcher.DrainAsync());

        Assert.Single(hooks.To("/json"));
        Assert.Equal(1, results.Sum(r => r.Sent));
        Assert.Equal("sent", Assert.Single(Assert.Single(nodeB.Alerts).Deliveries).Status);
    }
}
