using Microsoft.Extensions.Logging.Abstractions;
using SolidarityTracker.Classification;
using SolidarityTracker.Polling;
using SolidarityTracker.Sources.Bluesky;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.Bluesky;

/// <summary>
/// Bluesky by Jetstream (Sources:Bluesky:Jetstream) against a loopback Jetstream speaking its real WebSocket messages
/// and a loopback AppView for the back-fill polls, with a real SQLite file.
/// </summary>
public sealed class JetstreamTests : IAsyncLifetime
{
    private const string Dallas = "dallaspd.bsky.social";
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;
    private BlueskyServer _bluesky = null!;
    private JetstreamServer _jetstream = null!;

    public async Task InitializeAsync()
    {
        _bluesky = await BlueskyServer.StartAsync();
        _jetstream = await JetstreamServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _jetstream.DisposeAsync();
        await _bluesky.DisposeAsync();
    }

    private static object Agencies(params string[] handles) =>
        handles.Select((h, i) => new { Id = $"agency{i}", Name = $"Agency {i} Police", State = "TX", Accounts = new[] { new { Platform = "bluesky", Handle = h } } }).ToArray();

    private AlertWorld World(params string[] handles) => new(Agencies(handles), new { }, T0,
        sources: new { Bluesky = new { BaseUrl = _bluesky.BaseUrl, Jetstream = _jetstream.Url } },
        polling: new { BackfillDays = 3, MaxConcurrency = 1, RequestTimeout = "00:00:05" });

    private static JetstreamStream Stream(AlertWorld world)
    {
        var stream = new JetstreamStream(world.Get<AccountStore>(), world.Get<PostStore>(), world.Get<BlueskySource>(), world.Get<IPostClassifier>(),
            world.Settings, world.Clock, NullLogger<JetstreamStream>.Instance) { OptionsCheckInterval = TimeSpan.FromMilliseconds(100) };
        return stream;
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    private static string? Text(AlertWorld world, string sql)
    {
        using var connection = world.Get<TrackerDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    private static async Task Tick(AlertWorld world) => await world.Cycle.RunScheduledAsync(world.Get<PollScheduler>());

    [Fact]
    public async Task Posts_reposts_deletions_renames_and_takedowns_arrive_by_a_subscription_that_names_the_followed_dids()
    {
        var did = _bluesky.AddActor(Dallas);
        _bluesky.AddActor("otherpd.bsky.social");
        var reposted = _bluesky.Post("otherpd.bsky.social", "Funeral procession for the fallen officers on Main Street at 10 a.m.", T0.AddMinutes(-5));
        var repostedUri = (string)reposted["post"]!["uri"]!;
        using var world = World(Dallas);
        await Tick(world); // the back-fill poll resolves the DID and reads the feed
        var stream = Stream(world);
        using var stop = new CancellationTokenSource();
        var running = stream.RunAsync(stop.Token);
        await WaitUntil(() => stream.IsLive && !_jetstream.OptionsUpdates.IsEmpty, "the subscription is open");

        var query = Assert.Single(_jetstream.Connections);
        Assert.Contains("wantedCollections=app.bsky.feed.post", query);
        Assert.Contains("wantedCollections=app.bsky.feed.repost", query);
        Assert.Contains("requireHello=true", query);
        Assert.DoesNotContain("cursor=", query); // nothing stored yet
        _jetstream.OptionsUpdates.TryPeek(out var options);
        Assert.Equal([did], options!["wantedDids"]!.AsArray().Select(d => (string)d!));
        Assert.Equal(["app.bsky.feed.post", "app.bsky.feed.repost"], options["wantedCollections"]!.AsArray().Select(c => (string)c!));

        _jetstream.Post(did, "3lstream00001", "Our deepest condolences to the Dallas Police Department and the families of the fallen officers.", T0);
        var uri = $"at://{did}/app.bsky.feed.post/3lstream00001";
        await WaitUntil(() => world.Scalar($"SELECT COUNT(*) FROM posts WHERE post_id = '{uri}'") == 1, "the streamed post is stored");
        Assert.Equal($"https://bsky.app/profile/{Dallas}/post/3lstream00001", Text(world, $"SELECT url FROM posts WHERE post_id = '{uri}'"));
        Assert.Contains("condolence", Text(world, $"SELECT c.labels FROM classifications c JOIN posts p ON p.id = c.post_id WHERE p.post_id = '{uri}'"));

        _jetstream.Repost(did, "3lrepost00001", repostedUri, T0.AddSeconds(30));
        var repostKey = $"repost:{repostedUri}:{did}";
        await WaitUntil(() => world.Scalar($"SELECT COUNT(*) FROM posts WHERE post_id = '{repostKey}'") == 1, "the repost is stored");
        Assert.Equal("Funeral procession for the fallen officers on Main Street at 10 a.m.", Text(world, $"SELECT text FROM posts WHERE post_id = '{repostKey}'"));
        Assert.Equal(1L, world.Scalar($"SELECT is_repost FROM posts WHERE post_id = '{repostKey}'"));

        _jetstream.Delete(did, "app.bsky.feed.post", "3lstream00001");
        await WaitUntil(() => Text(world, $"SELECT deleted_at FROM posts WHERE post_id = '{uri}'") is not null, "the deleted post is marked deleted");

        _jetstream.Identity(did, "dallaspolice.bsky.social");
        await WaitUntil(() => Text(world, "SELECT current_handle FROM accounts") == "dallaspolice.bsky.social", "the new handle is kept");

        _jetstream.Account(did, active: false, status: "takendown");
        await WaitUntil(() => Text(world, "SELECT gone FROM accounts") == "suspended", "the taken-down account is recorded");
        var status = await CliRunner.RunAsync("status", "--config", world.ConfigPath);
        Assert.Contains($"{Dallas} (now dallaspolice.bsky.social)", status.Output);
        Assert.Contains("suspended", status.Output);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_restart_resumes_five_seconds_before_the_stored_cursor_and_stores_each_post_once()
    {
        var did = _bluesky.AddActor(Dallas);
        using var world = World(Dallas);
        await Tick(world);
        var first = Stream(world);
        using (var stop = new CancellationTokenSource())
        {
            var running = first.RunAsync(stop.Token);
            await WaitUntil(() => first.IsLive, "the first subscription is open");
            _jetstream.Post(did, "3lresume00001", "Please stay vigilant and report anything out of place.", T0);
            var second = _jetstream.Post(did, "3lresume00002", "Our badges are shrouded with a black mourning band.", T0.AddSeconds(1));
            await WaitUntil(() => world.Scalar("SELECT COUNT(*) FROM posts") == 2, "two streamed posts are stored");
            await stop.CancelAsync();
            await running;
            Assert.Equal(JetstreamServer.TimeUs(second).ToString(), world.Get<AccountStore>().StreamCursor(JetstreamStream.CursorName));
            var status = await CliRunner.RunAsync("status", "--config", world.ConfigPath, "--format", "json");
            var stream = System.Text.Json.JsonDocument.Parse(status.Output).RootElement.GetProperty("bluesky_jetstream");
            Assert.Equal(_jetstream.Url, stream.GetProperty("url").GetString());
            Assert.Equal(JetstreamServer.TimeUs(second), stream.GetProperty("cursor_time_us").GetInt64());
        }

        // Posted while the worker was down: Jetstream keeps it and replays it from the cursor.
        _jetstream.Post(did, "3lresume00003", "Thoughts and prayers to the department and the city.", T0.AddSeconds(5));
        var cursor = long.Parse(world.Get<AccountStore>().StreamCursor(JetstreamStream.CursorName)!);
        var restarted = Stream(world);
        using (var stop = new CancellationTokenSource())
        {
            var running = restarted.RunAsync(stop.Token);
            await WaitUntil(() => world.Scalar("SELECT COUNT(*) FROM posts") == 3, "the post made while down is stored");
            // The overlap replays both earlier posts too; they are stored once.
            await WaitUntil(() => restarted.Events >= 3, "the replay has been read");
            await stop.CancelAsync();
            await running;
        }
        Assert.Contains($"cursor={cursor - 5_000_000}", _jetstream.Connections.Last());
        Assert.Equal(3, world.Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Equal(3, world.Scalar("SELECT COUNT(DISTINCT post_id) FROM posts"));
    }

    [Fact]
    public async Task A_newly_followed_account_joins_the_subscription_with_an_options_update()
    {
        var dallas = _bluesky.AddActor(Dallas);
        var austin = _bluesky.AddActor("austinpd.bsky.social");
        using var world = World(Dallas);
        await Tick(world);
        var stream = Stream(world);
        using var stop = new CancellationTokenSource();
        var running = stream.RunAsync(stop.Token);
        await WaitUntil(() => stream.IsLive, "the subscription is open");

        // The configuration now names a second account; its first poll resolves its DID.
        var settings = SolidarityTracker.Configuration.SettingsLoader.Load(SolidarityTracker.Configuration.ConfigurationLoader.Build(
            Config.Write(world.Directory, Agencies(Dallas, "austinpd.bsky.social"), sources: new { Bluesky = new { BaseUrl = _bluesky.BaseUrl } }, name: "more.config.json"), [], world.Directory.Path),
            SolidarityTracker.Worker.CronSchedule.IsValid);
        await world.Get<AccountStore>().SyncAsync(settings.Tracker.Agencies);
        await Tick(world);
        await WaitUntil(() => _jetstream.OptionsUpdates.Count >= 2, "an options_update names the new account");
        var update = _jetstream.OptionsUpdates.Last();
        Assert.Equal(new[] { austin, dallas }.Order(StringComparer.Ordinal), update["wantedDids"]!.AsArray().Select(d => (string)d!));
        Assert.Single(_jetstream.Connections); // the same connection, updated in place

        _jetstream.Post(austin, "3laustin00001", "Our condolences to our brothers and sisters in Dallas.", T0);
        await WaitUntil(() => world.Scalar($"SELECT COUNT(*) FROM posts WHERE post_id = 'at://{austin}/app.bsky.feed.post/3laustin00001'") == 1, "the new account's post is stored");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task While_the_stream_is_up_its_accounts_wait_for_the_hourly_poll_and_polling_takes_over_when_it_drops()
    {
        var did = _bluesky.AddActor(Dallas);
        // A busy account: its back-fill sets an interval well under an hour.
        for (var i = 0; i < 60; i++) _bluesky.Post(Dallas, $"Traffic update {i}", T0.AddHours(-i));
        using var world = World(Dallas);
        await Tick(world);
        int Feeds() => _bluesky.Count(r => r.Path == "/xrpc/app.bsky.feed.getAuthorFeed");
        var polled = Feeds();
        var stream = Stream(world);
        using var stop = new CancellationTokenSource();
        var running = stream.RunAsync(stop.Token);
        await WaitUntil(() => stream.IsLive, "the subscription is open");

        var scheduler = new PollScheduler(world.Get<AccountStore>(), new RequestBudget(world.Clock), new SolidarityTracker.Incidents.NoOpenIncidents(), world.Settings, streams: stream);
        var covered = false;
        for (var minute = 5; minute <= 55; minute += 5)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(5));
            var plan = scheduler.Plan(world.Clock.GetUtcNow());
            Assert.Empty(plan.Accounts);
            covered |= plan.Streamed == 1; // due by its own schedule, left to the stream
        }
        Assert.True(covered);
        Assert.Equal(polled, Feeds());

        _jetstream.Refuse = true;
        _jetstream.Drop();
        await WaitUntil(() => !stream.IsLive, "the stream is seen down");
        await world.Cycle.RunScheduledAsync(scheduler);
        Assert.Equal(polled + 1, Feeds());

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_Jetstream_url_that_is_not_a_websocket_url_is_a_configuration_error_naming_the_key()
    {
        using var world = World(Dallas);
        var result = await CliRunner.RunAsync("status", "--config", world.ConfigPath, "--Sources:Bluesky:Jetstream=https://jetstream.example/subscribe");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Sources:Bluesky:Jetstream", result.Error);
        Assert.Contains("ws", result.Error);
    }
}
