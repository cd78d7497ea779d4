using Microsoft.Extensions.DependencyInjection;
using SolidarityTracker.Cli;
using SolidarityTracker.Sources;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Worker;

public sealed class WorkerTests
{
    [Fact]
    public async Task The_worker_polls_on_its_cron_with_a_real_scheduler_and_stops_cleanly_with_exit_code_0()
    {
        using var dir = new TestDirectory();
        var feed = TrackerWorld.Feed("a");
        var config = Config.Write(dir, agencies: TrackerWorld.RssAgencies("a"), polling: new { Cron = "* * * * * ?", MinInterval = "00:00:01", MaxInterval = "00:00:01" },
            digest: new { TimeZone = "America/New_York", OutputDirectory = dir.File("digests"), Cron = "0 0 7 * * ?" });
        var source = new ScriptedSource();
        for (var i = 0; i < 50; i++)
        {
            var n = i;
            source.Then(feed, new PageStep(Page($"c{n}", Post(feed, $"p{n}", DateTimeOffset.UtcNow, $"post {n}"))));
        }
        var output = new StringWriter();
        using var app = new CliApp(config, [], output, output);
        using var stop = new CancellationTokenSource();

        var run = RunCommand.RunWorkerAsync(app, once: false, stop.Token, services => services.AddSingleton<ISource>(source));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && CountFetches(source) < 3) await Task.Delay(100);
        stop.Cancel();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, exit);
        Assert.True(CountFetches(source) >= 3, $"the poll job ran {CountFetches(source)} times");
        var world = new SolidarityTracker.Storage.PostStore(new SolidarityTracker.Storage.TrackerDatabase(dir.File("tracker.db")));
        Assert.True(world.Count() >= 3);
        // Each fetch started from the cursor the previous cycle stored.
        lock (source.Fetches) Assert.Equal("c0", source.Fetches[1].Cursor);
        // The health file says when the last cycle finished and how it went.
        using var health = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("tracker.db.health.json")));
        Assert.Equal(1, health.RootElement.GetProperty("accounts").GetInt32());
        Assert.Equal(0, health.RootElement.GetProperty("failing").GetInt32());
        Assert.True(DateTime.UtcNow - health.RootElement.GetProperty("last_poll_finished").GetDateTime() < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Shutdown_in_the_middle_of_a_slow_poll_keeps_the_pages_already_stored_and_exits_promptly()
    {
        using var dir = new TestDirectory();
        var feed = TrackerWorld.Feed("a");
        var config = Config.Write(dir, agencies: TrackerWorld.RssAgencies("a"), polling: new { Cron = "0 0 * * * ?" });
        var source = new ScriptedSource().Then(feed,
            new PageStep(Page("after-1", Post(feed, "1", DateTimeOffset.UtcNow, "one"))),
            new WaitStep(TimeSpan.FromMinutes(5)),
            new PageStep(Page("after-2", Post(feed, "2", DateTimeOffset.UtcNow, "two"))));
        var output = new StringWriter();
        using var app = new CliApp(config, [], output, output);
        using var stop = new CancellationTokenSource();

        var run = RunCommand.RunWorkerAsync(app, once: false, stop.Token, services => services.AddSingleton<ISource>(source));
        var store = new SolidarityTracker.Storage.PostStore(new SolidarityTracker.Storage.TrackerDatabase(dir.File("tracker.db")));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && SafeCount(store) < 1) await Task.Delay(100);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stop.Cancel();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"shutdown took {clock.Elapsed}");
        Assert.Equal(1, store.Count());
        var accounts = new SolidarityTracker.Storage.AccountStore(new SolidarityTracker.Storage.TrackerDatabase(dir.File("tracker.db")));
        Assert.Equal("after-1", Assert.Single(accounts.All()).Cursor);
    }

    private static int CountFetches(ScriptedSource source)
    {
        lock (source.Fetches) return source.Fetches.Count;
    }

    private static long SafeCount(SolidarityTracker.Storage.PostStore store)
    {
        try { return store.Count(); } catch (Microsoft.Data.Sqlite.SqliteException) { return 0; }
    }

    [Fact]
    public async Task A_digest_missed_while_the_host_was_down_runs_once_at_start_up_and_not_again_after_a_restart()
    {
        using var dir = new TestDirectory();
        var digests = dir.File("digests");
        // Midnight has always passed today, so yesterday's digest is due and was never rendered.
        var config = Config.Write(dir, agencies: TrackerWorld.RssAgencies("a"), polling: new { Cron = "0 0 0 1 1 ? 2099" },
            digest: new { TimeZone = "America/New_York", OutputDirectory = digests, Cron = "0 0 0 * * ?" });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var yesterday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime).AddDays(-1);
        var file = Path.Combine(digests, $"digest-{yesterday:yyyy-MM-dd}.html");

        await RunBriefly(config, () => File.Exists(file));
        Assert.True(File.Exists(file), "the missed digest was not rendered at start-up");
        var firstWrite = File.GetLastWriteTimeUtc(file);
        await Task.Delay(1100);
        await RunBriefly(config, () => false, TimeSpan.FromSeconds(3));

        Assert.Equal(firstWrite, File.GetLastWriteTimeUtc(file));
    }

    private static async Task RunBriefly(string config, Func<bool> done, TimeSpan? atMost = null)
    {
        using var app = new CliApp(config, [], TextWriter.Null, TextWriter.Null);
        using var stop = new CancellationTokenSource();
        var run = RunCommand.RunWorkerAsync(app, once: false, stop.Token, services => services.AddSingleton<ISource>(new ScriptedSource()));
        var deadline = DateTime.UtcNow + (atMost ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline && !done()) await Task.Delay(100);
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(15)));
    }
}
