using Microsoft.Extensions.DependencyInjection;
using SolidarityTracker.Cli;
using SolidarityTracker.Sources;
using SolidarityTracker.Tests.Alerts;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Worker;

/// <summary>`run` with its real Quartz schedule: the scheduled cycle sends its alerts before it ends, and the outbox is dispatched between cycles.</summary>
public sealed class AlertWorkerTests
{
    private static async Task Until(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private static (string Config, ScriptedSource Source) World(TestDirectory dir, WebhookReceiver hooks)
    {
        var now = DateTimeOffset.UtcNow;
        var config = Config.Write(dir, agencies: TrackerWorld.RssAgencies("a", "b", "c"), polling: new { Cron = "0 0 * * * ?" },
            alerts: new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } });
        var source = new ScriptedSource();
        foreach (var id in new[] { "a", "b", "c" }) source.Then(TrackerWorld.Feed(id), IncidentAlertTests.Step(id, 1, now.AddMinutes(-10)));
        return (config, source);
    }

    [Fact]
    public async Task The_workers_scheduled_cycle_sends_the_incident_alert_before_it_ends()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        using var dir = new TestDirectory();
        var (config, source) = World(dir, hooks);
        var output = new StringWriter();
        using var app = new CliApp(config, [], output, output);
        using var stop = new CancellationTokenSource();

        var run = RunCommand.RunWorkerAsync(app, once: false, stop.Token, services => services.AddSingleton<ISource>(source));
        await Until(() => File.Exists(dir.File("tracker.db.health.json")), "the first cycle to end");
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(15)));

        var received = Assert.Single(hooks.To("/json"));
        Assert.Equal("incident", (string)received.Json["kind"]!);
        using var health = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("tracker.db.health.json")));
        Assert.True(received.At <= new DateTimeOffset(health.RootElement.GetProperty("last_poll_finished").GetDateTime(), TimeSpan.Zero),
            "the alert arrived after its cycle had ended");
        Assert.Equal(1, StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'"));
    }

    [Fact]
    public async Task The_worker_sends_a_retry_that_comes_due_between_poll_cycles()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        hooks.Failing = 500;
        using var dir = new TestDirectory();
        var (config, source) = World(dir, hooks);
        var output = new StringWriter();
        using var app = new CliApp(config, [], output, output);
        using var stop = new CancellationTokenSource();

        var run = RunCommand.RunWorkerAsync(app, once: false, stop.Token, services => services.AddSingleton<ISource>(source));
        await Until(() => File.Exists(dir.File("tracker.db.health.json")), "the first cycle to end");
        Assert.Equal(1, StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'pending' AND attempts = 1"));
        // The channel is back, and the retry comes due now rather than in 15 s; the next poll is an hour away.
        hooks.Failing = null;
        StoredRows.Execute(dir.File("tracker.db"), $"UPDATE alert_deliveries SET next_attempt_at = '{DateTimeOffset.UtcNow.AddSeconds(-1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}';");
        await Until(() => hooks.To("/json").Count == 1, "the retry to arrive", seconds: 20);
        await Until(() => StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'") == 1, "the retry to be marked sent");
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(15)));

        var bodies = hooks.Bodies.ToList();
        Assert.Equal([500, 200], bodies.Select(b => b.Status));
        Assert.Single(bodies.Select(b => b.IdempotencyKey).Distinct());
    }
}
