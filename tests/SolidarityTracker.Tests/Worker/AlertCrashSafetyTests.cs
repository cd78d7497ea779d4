using System.Globalization;
using System.Text;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Worker;

/// <summary>
/// The real program as a child process, SIGKILLed with an incident alert in the outbox: before the webhook has the
/// message, and after the webhook took it but before it was marked sent. The next run delivers it, once, or once more
/// under the same Idempotency-Key; never under another.
/// </summary>
public sealed class AlertCrashSafetyTests
{
    private static byte[] Feed(string agency, DateTimeOffset at) => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{agency}</title><link>https://{agency}.example/</link><description>news</description>
        <item><title>Condolences</title><link>https://{agency}.example/news/1</link><guid>https://{agency}.example/news/1</guid>
        <pubDate>{at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture)}</pubDate>
        <description>The {agency} Police Department sends its deepest condolences to the Millbrook Police Department on the loss of Officer Daniel Reyes. #MillbrookStrong</description></item>
        </channel></rss>
        """);

    private static async Task<(TestDirectory Dir, string Config, FeedServer Feeds)> WorldAsync(WebhookReceiver hooks)
    {
        var feeds = await FeedServer.StartAsync();
        var dir = new TestDirectory();
        var agencies = new[] { "ashland", "bexley", "covington" }.Select(a =>
        {
            feeds.ServeBytes($"/{a}.xml", Feed(a, DateTimeOffset.UtcNow.AddMinutes(-20)), "application/rss+xml");
            return new { Id = a, Name = $"{a} Police Department", State = "OH", Accounts = new[] { new { Platform = "rss", Url = feeds.Url($"/{a}.xml") } } };
        }).ToArray();
        // A send may take 2 s, so a claim lapses after 4 s: the next run may take over the row by then.
        var config = Config.Write(dir, agencies: agencies, alerts: new { SendTimeout = "00:00:02", Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } });
        return (dir, config, feeds);
    }

    private static long Rows(TestDirectory dir, string sql)
    {
        try { return File.Exists(dir.File("tracker.db")) ? StoredRows.Scalar(dir.File("tracker.db"), sql) : 0; }
        catch (Microsoft.Data.Sqlite.SqliteException) { return 0; }
    }

    private static async Task WaitFor(Func<bool> condition, ChildProgram child, string what)
    {
        var started = DateTime.UtcNow;
        while (!condition())
        {
            Assert.False(child.HasExited, $"the program exited before {what}: {child.Output}");
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }

    private static async Task PollAgainAfterTheLeaseAsync(string config)
    {
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        using var again = ChildProgram.Start("poll", "--config", config);
        Assert.True(await again.WaitAsync(TimeSpan.FromSeconds(120)) == 0, again.Output);
    }

    [Fact]
    public async Task Killed_after_storing_the_alert_and_before_the_webhook_has_it_the_next_run_delivers_it_once()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        // The webhook takes nothing yet: a request is left hanging, unrecorded, as if it never left.
        hooks.Swallow = new TaskCompletionSource();
        var (dir, config, feeds) = await WorldAsync(hooks);
        await using var _ = feeds;
        using var __ = dir;

        using (var child = ChildProgram.Start("poll", "--config", config))
        {
            await WaitFor(() => Rows(dir, "SELECT COUNT(*) FROM alerts") > 0, child, "the alert was stored");
            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Empty(hooks.Bodies);
        Assert.Equal(1, Rows(dir, "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'pending'"));

        hooks.Swallow.TrySetResult();
        hooks.Swallow = null;
        await PollAgainAfterTheLeaseAsync(config);

        var received = Assert.Single(hooks.To("/json"));
        Assert.Equal("incident", (string)received.Json["kind"]!);
        Assert.Equal(received.IdempotencyKey, (string)StoredRows.Query(dir.File("tracker.db"), "SELECT id FROM alerts")[0]["id"]!);
        Assert.Equal(1, Rows(dir, "SELECT COUNT(*) FROM alerts"));
        Assert.Equal(1, Rows(dir, "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'"));
    }

    [Fact]
    public async Task Killed_after_the_webhook_took_the_alert_and_before_it_was_marked_sent_the_resend_has_the_same_key()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        // The webhook records the message and does not answer yet.
        hooks.Hold = new TaskCompletionSource();
        var (dir, config, feeds) = await WorldAsync(hooks);
        await using var _ = feeds;
        using var __ = dir;

        using (var child = ChildProgram.Start("poll", "--config", config))
        {
            await WaitFor(() => !hooks.Bodies.IsEmpty, child, "the webhook had the alert");
            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(1, Rows(dir, "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'pending'"));

        hooks.Hold.TrySetResult();
        hooks.Hold = null;
        await PollAgainAfterTheLeaseAsync(config);
        // A third run has nothing left to send.
        using (var third = ChildProgram.Start("poll", "--config", config))
            Assert.Equal(0, await third.WaitAsync(TimeSpan.FromSeconds(120)));

        var bodies = hooks.Bodies.ToList();
        Assert.Equal(2, bodies.Count);
        var key = Assert.Single(bodies.Select(b => b.IdempotencyKey).Distinct());
        Assert.Equal(key, (string)StoredRows.Query(dir.File("tracker.db"), "SELECT id FROM alerts")[0]["id"]!);
        Assert.Equal(1, Rows(dir, "SELECT COUNT(*) FROM alerts"));
        Assert.Equal(1, Rows(dir, "SELECT COUNT(*) FROM alert_deliveries WHERE status = 'sent'"));
    }
}
