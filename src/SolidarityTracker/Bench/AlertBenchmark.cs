using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SolidarityTracker.Alerts;
using SolidarityTracker.Sources;
using SolidarityTracker.Worker;

namespace SolidarityTracker.Bench;

/// <summary>
/// `bench alerts`: the real poll cycle, detector, outbox and dispatcher over a temp SQLite store, fed by a replayed
/// timeline on an accelerated clock (<see cref="ReplaySource"/>), sending to a webhook on loopback.
/// 1. A wave: 300 agencies answer one loss over 6 hours, on top of the ordinary posting of 10,000 followed accounts;
///    every account is polled each tick. Figures: store → alert latency (the page's commit to the webhook's receipt),
///    for the incident alert and over every alert raised at store time (updates are sent as they come here:
///    Alerts:Incident:UpdateEvery 0), and the time inside the page transactions spent on detection and outbox writes
///    as a share of the cycle.
/// 2. Outbox throughput: a backlog of alerts sent to the loopback webhook, against raw POSTs to it from one HttpClient.
/// 3. A month of ordinary posts from 200 agencies: incident alerts raised (must be 0).
/// </summary>
public static class AlertBenchmark
{
    public const int DefaultAccounts = 10_000, DefaultWave = 300, MonthAgencies = 200, Backlog = 2_000;
    private static readonly TimeSpan WaveLength = TimeSpan.FromHours(6), Month = TimeSpan.FromDays(30);
    private static readonly DateTimeOffset Start = new(2026, 5, 13, 13, 0, 0, TimeSpan.Zero);

    public static Command CreateCommand(CliApp app)
    {
        var accounts = new Option<int?>("--accounts") { Description = $"Followed accounts during the wave (default {DefaultAccounts:N0})." };
        var wave = new Option<int?>("--wave") { Description = $"Agencies answering the loss (default {DefaultWave})." };
        var tick = new Option<int?>("--tick") { Description = "Minutes of replayed time between poll cycles during the wave (default 15)." };
        var command = new Command("alerts", "Store-to-alert latency, detection cost per cycle, false incidents on a month of ordinary posts, outbox throughput.") { accounts, wave, tick };
        command.SetAction((parse, ct) => RunAsync(app, parse.GetValue(accounts) ?? DefaultAccounts, parse.GetValue(wave) ?? DefaultWave, TimeSpan.FromMinutes(parse.GetValue(tick) ?? 15), ct));
        return command;
    }

    public static async Task<int> RunAsync(CliApp app, int accounts, int wave, TimeSpan tick, CancellationToken cancellationToken)
    {
        if (wave < 3 || accounts < wave) throw new BadInputException($"--wave {wave} --accounts {accounts}: the wave needs at least 3 agencies and no more than the accounts");
        if (tick <= TimeSpan.Zero) throw new BadInputException("--tick must be at least 1 minute");
        using var temp = BenchFolder.Create("alerts");
        var folder = temp.Path;
        var output = app.Out;
        await using var hook = await BenchWebhook.StartAsync();
        var falseAlerts = await WaveAsync(output, folder, hook, accounts, wave, tick, cancellationToken);
        falseAlerts += await MonthAsync(output, folder, hook, cancellationToken);
        return falseAlerts == 0 ? TrackerCli.Success : TrackerCli.RuntimeFailure;
    }

    private static async Task<int> WaveAsync(TextWriter output, string folder, BenchWebhook hook, int count, int waveSize, TimeSpan tick, CancellationToken cancellationToken)
    {
        var accounts = ReplayPosts.Accounts(count);
        var setup = Stopwatch.StartNew();
        using var replay = await Replay.CreateAsync(Path.Combine(folder, "wave"), accounts, new
        {
            Incident = new { UpdateEvery = "00:00:00" },
            Webhooks = new[] { new { Url = hook.Url, Format = "json" } },
        }, Start);
        replay.Source.AddRange(ReplayPosts.Wave(accounts, waveSize, Start + TimeSpan.FromMinutes(1), WaveLength, seed: 7));
        replay.Source.AddRange(ReplayPosts.Ordinary(accounts, Start - TimeSpan.FromDays(1), WaveLength + TimeSpan.FromDays(1), perDay: 1, seed: 11));
        var cycle = replay.Get<PollCycle>();
        // The first cycle reads the day before (a back-fill) and sets every cursor.
        await cycle.RunAsync(null, PollScope.EveryEnabled, cancellationToken);
        output.WriteLine($"bench alerts: {count:N0} followed rss accounts (in-process replay, no HTTP to the sources), {replay.Source.Count:N0} posts over {WaveLength.TotalHours:0} h, " +
                         $"a wave of {waveSize} agencies; one poll of every account each {tick.TotalMinutes:0} min of replayed time; set up in {setup.Elapsed.TotalSeconds:0.0} s");

        var cycles = new List<(double Ms, double DetectMs, long EndedAt)>();
        replay.Timer.TakeElapsed();
        for (var at = Start + tick; at <= Start + WaveLength + tick; at += tick)
        {
            replay.Clock.Set(at);
            var watch = Stopwatch.StartNew();
            await cycle.RunAsync(null, PollScope.EveryEnabled, cancellationToken);
            cycles.Add((watch.Elapsed.TotalMilliseconds, replay.Timer.TakeElapsed().TotalMilliseconds, Stopwatch.GetTimestamp()));
        }
        var log = replay.Get<AlertLog>().List();
        var sentBy = Stopwatch.StartNew();
        while (log.Any(a => !hook.FirstArrival.ContainsKey(a.Id)) && sentBy.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20, cancellationToken);
        var incidents = replay.Get<Incidents.IncidentStore>().List();
        var latencies = log.Where(a => replay.Timer.CommittedAt.ContainsKey(a.Id) && hook.FirstArrival.ContainsKey(a.Id))
            .Select(a => (a.Kind, Ms: Stopwatch.GetElapsedTime(replay.Timer.CommittedAt[a.Id], hook.FirstArrival[a.Id]).TotalMilliseconds)).ToList();
        var incidentAlert = log.FirstOrDefault(a => a.Kind == AlertMessage.Incident);

        output.WriteLine($"  incidents opened: {incidents.Count} ({(incidents.Count > 0 ? $"\"{incidents[0].Title}\", {incidents[0].Agencies.Count} agencies" : "none")}); " +
                         $"alerts: {log.Count(a => a.Kind == AlertMessage.Incident)} incident, {log.Count(a => a.Kind == AlertMessage.IncidentUpdate)} updates; {log.Count(a => !hook.FirstArrival.ContainsKey(a.Id))} not received");
        if (incidentAlert is not null && replay.Timer.CommittedAt.TryGetValue(incidentAlert.Id, out var committed) && hook.FirstArrival.TryGetValue(incidentAlert.Id, out var arrived))
        {
            var end = cycles.Select(c => c.EndedAt).First(e => e >= committed);
            output.WriteLine($"  incident alert: stored → received {Stopwatch.GetElapsedTime(committed, arrived).TotalMilliseconds:N1} ms; " +
                             $"received {Stopwatch.GetElapsedTime(arrived, end).TotalMilliseconds:N0} ms before its cycle ended");
        }
        if (latencies.Count > 0)
        {
            var sorted = latencies.Select(l => l.Ms).Order().ToList();
            output.WriteLine($"  store → alert received, over {sorted.Count} alerts raised at store time: p50 {Percentile(sorted, 0.50):N1} ms, p95 {Percentile(sorted, 0.95):N1} ms, max {sorted[^1]:N1} ms " +
                             "(raw limit: one loopback POST, below)");
        }
        var busy = cycles.Where(c => c.DetectMs > 0).ToList();
        output.WriteLine($"  poll cycle of {count:N0} accounts: median {Percentile(cycles.Select(c => c.Ms).Order().ToList(), 0.5):N0} ms; detection and outbox writes inside the page transactions: " +
                         $"{cycles.Sum(c => c.DetectMs) / cycles.Sum(c => c.Ms) * 100:0.00} % of cycle time overall, at most {cycles.Max(c => c.DetectMs / c.Ms) * 100:0.00} % of one cycle " +
                         $"({busy.Count} of {cycles.Count} cycles stored condolences)");

        await ThroughputAsync(output, replay, hook, cancellationToken);
        // The wave itself is one loss: any second incident is a false one.
        return Math.Max(0, incidents.Count - 1);
    }

    /// <summary>A backlog of <see cref="Backlog"/> alerts through the dispatcher, beside raw POSTs of the same bodies from one HttpClient.</summary>
    private static async Task ThroughputAsync(TextWriter output, Replay replay, BenchWebhook hook, CancellationToken cancellationToken)
    {
        var database = replay.Get<TrackerDatabase>();
        var channel = AlertChannels.Names(replay.Settings.Alerts)[0];
        string body;
        using (var connection = database.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Backlog})
                INSERT INTO alerts (id, kind, title, incident_id, created_at, held, body)
                SELECT 'backlog-' || i, a.kind, a.title, a.incident_id, a.created_at, 0, replace(a.body, a.id, 'backlog-' || i)
                FROM n, (SELECT * FROM alerts WHERE kind = 'incident' ORDER BY created_at LIMIT 1) a;
                INSERT INTO alert_deliveries (alert_id, channel, next_attempt_at) SELECT id, @channel, @now FROM alerts WHERE id LIKE 'backlog-%';
                """;
            command.Parameters.AddWithValue("@channel", channel);
            command.Parameters.AddWithValue("@now", TrackerDatabase.ToDb(replay.Clock.GetUtcNow()));
            command.ExecuteNonQuery();
            command.CommandText = "SELECT body FROM alerts WHERE id = 'backlog-1';";
            body = (string)command.ExecuteScalar()!;
        }
        var watch = Stopwatch.StartNew();
        var result = await replay.Get<AlertDispatcher>().DispatchPendingAsync(cancellationToken);
        var dispatched = watch.Elapsed.TotalSeconds;

        using var http = new HttpClient();
        watch.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, Backlog), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(hook.Url, content, ct);
        });
        var raw = watch.Elapsed.TotalSeconds;
        var single = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var one = Stopwatch.StartNew();
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(hook.Url, content, cancellationToken);
            single.Add(one.Elapsed.TotalMilliseconds);
        }
        single.Sort();
        output.WriteLine($"  outbox throughput: {result.Sent:N0} alerts sent in {dispatched:0.00} s = {result.Sent / dispatched:N0} alerts/s to the loopback webhook " +
                         $"({result.Failed} failed); raw limit: {Backlog / raw:N0} POSTs/s of the same body, 8 at a time, no store");
        output.WriteLine($"  raw limit of a store → alert latency: one POST of that body to the loopback webhook, p50 {Percentile(single, 0.5):N2} ms, p95 {Percentile(single, 0.95):N2} ms");
    }

    private static async Task<int> MonthAsync(TextWriter output, string folder, BenchWebhook hook, CancellationToken cancellationToken)
    {
        var accounts = ReplayPosts.Accounts(MonthAgencies);
        using var replay = await Replay.CreateAsync(Path.Combine(folder, "month"), accounts, new { Webhooks = new[] { new { Url = hook.Url, Format = "json" } } }, Start);
        replay.Source.AddRange(ReplayPosts.Ordinary(accounts, Start, Month, perDay: 2, seed: 23));
        var cycle = replay.Get<PollCycle>();
        var outbox = replay.Get<AlertOutbox>();
        var dispatcher = replay.Get<AlertDispatcher>();
        var watch = Stopwatch.StartNew();
        var polls = 0;
        // Hourly cycles over the accounts that posted since the last one (an idle account has nothing to detect), each
        // finished as a cycle is: every post is stored well inside Alerts:Incident:Window, where it could count.
        var previous = Start - TimeSpan.FromHours(1);
        for (var at = Start; at <= Start + Month; at += TimeSpan.FromHours(1))
        {
            replay.Clock.Set(at);
            var posting = replay.Source.Posting(previous, at).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var account in replay.Get<AccountStore>().All().Where(a => posting.Contains(a.Handle)))
            {
                await cycle.PollAccountAsync(account, cancellationToken);
                polls++;
            }
            await outbox.FinishCycleAsync(cancellationToken);
            await dispatcher.DrainAsync(cancellationToken);
            previous = at;
        }
        var log = replay.Get<AlertLog>().List();
        var incident = log.Count(a => a.Kind is AlertMessage.Incident or AlertMessage.IncidentUpdate);
        var counted = replay.Scalar("SELECT COUNT(*) FROM classifications WHERE labels LIKE '%condolence%' OR labels LIKE '%memorial%';");
        output.WriteLine($"  a month of ordinary posts: {replay.Source.Count:N0} posts from {MonthAgencies} agencies ({counted:N0} condolences or remembrances of their own losses), " +
                         $"721 hourly cycles ({polls:N0} account polls) in {watch.Elapsed.TotalSeconds:0.0} s: false incident alerts {incident} (must be 0){(incident > 0 ? " FAIL" : "")}");
        return incident;
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The library's services as the program builds them, over a replay source and a stepped clock.</summary>
    private sealed class Replay : IDisposable
    {
        private readonly ServiceProvider _services;
        public SteppedClock Clock { get; }
        public ReplaySource Source { get; }
        public DetectionTimer Timer { get; }
        public TrackerSettings Settings { get; }

        private Replay(ServiceProvider services, SteppedClock clock, ReplaySource source, TrackerSettings settings)
        {
            _services = services;
            Clock = clock;
            Source = source;
            Settings = settings;
            Timer = services.GetRequiredService<DetectionTimer>();
        }

        public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

        public long Scalar(string sql)
        {
            using var connection = Get<TrackerDatabase>().Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar());
        }

        public static async Task<Replay> CreateAsync(string folder, IReadOnlyList<ReplayAccount> accounts, object alerts, DateTimeOffset start)
        {
            Directory.CreateDirectory(folder);
            var config = Path.Combine(folder, "bench.config.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
            {
                Tracker = new
                {
                    Database = Path.Combine(folder, "tracker.db"),
                    Agencies = accounts.Select(a => new { Id = a.AgencyId, a.Name, a.State, Accounts = new[] { new { Platform = "rss", Url = a.Feed } } }),
                },
                Digest = new { TimeZone = "America/New_York", OutputDirectory = Path.Combine(folder, "digests") },
                Polling = new { BackfillDays = 2 },
                Alerts = alerts,
            }));
            var settings = SettingsLoader.Load(ConfigurationLoader.Build(config, [], folder), CronSchedule.IsValid);
            var clock = new SteppedClock(start);
            var source = new ReplaySource(clock);
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            services.AddTracker(settings);
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<ISource>(source);
            // The outbox observed through a stopwatch.
            services.RemoveAll<IPageObserver>();
            services.AddSingleton(sp => new DetectionTimer(sp.GetRequiredService<AlertOutbox>(), sp.GetRequiredService<TrackerDatabase>()));
            services.AddSingleton<IPageObserver>(sp => sp.GetRequiredService<DetectionTimer>());
            var provider = services.BuildServiceProvider();
            await provider.GetRequiredService<AccountStore>().SyncAsync(settings.Tracker.Agencies);
            return new Replay(provider, clock, source, settings);
        }

        public void Dispose() => _services.Dispose();
    }

    /// <summary>
    /// The outbox as the page observer, timed: what its work inside the page transactions costs, and when each alert's
    /// page committed (the start of its store → alert latency).
    /// </summary>
    private sealed class DetectionTimer(IPageObserver inner, TrackerDatabase database) : IPageObserver
    {
        private long _ticks;
        private long _lastRowId;
        private readonly object _gate = new();
        public ConcurrentDictionary<string, long> CommittedAt { get; } = new();

        public void Stored(StoredPage page)
        {
            var started = Stopwatch.GetTimestamp();
            inner.Stored(page);
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
        }

        public void Committed(StoredPage page)
        {
            if (page.Alerts > 0)
            {
                var at = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT rowid, id FROM alerts WHERE rowid > @last ORDER BY rowid;";
                    command.Parameters.AddWithValue("@last", _lastRowId);
                    using var r = command.ExecuteReader();
                    while (r.Read()) { _lastRowId = r.GetInt64(0); CommittedAt.TryAdd(r.GetString(1), at); }
                }
            }
            inner.Committed(page);
        }

        public TimeSpan TakeElapsed() => Stopwatch.GetElapsedTime(0, Interlocked.Exchange(ref _ticks, 0));
    }
}
