using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using SolidarityTracker.Incidents;
using SolidarityTracker.Sources;
using SolidarityTracker.Sources.X;
using SolidarityTracker.Worker;

namespace SolidarityTracker.Bench;

/// <summary>
/// `bench poll --accounts 10000,72000`: the adaptive schedule over a simulated day, on an accelerated clock. One agency
/// has an account on each platform (X, Mastodon spread over 200 instances, Bluesky, RSS); most accounts post a few times
/// a week, one in twenty many times a day; from 18:00 a wave is replayed (an open incident, two in five accounts post
/// condolences within a few hours). Every Polling:Cron tick runs the worker's own PollScheduler and PollCycle over a
/// real SQLite file. X goes through the real XSource (cursor, since_id, budget) to an X API v2 simulated in process
/// (no sockets); Mastodon, Bluesky and RSS are simulated in process behind ISource: at 72,000 accounts the loopback
/// HTTP servers would take far longer than a few minutes on 2 cores for a day of polls.
/// </summary>
public static class ScheduleBenchmark
{
    private static readonly DateTimeOffset Day = new(2026, 5, 13, 0, 0, 0, TimeSpan.FromHours(-5));
    private static readonly TimeSpan WaveStart = TimeSpan.FromHours(18);
    /// <summary>How long the replayed incident stays open (Alerts:Incident:Window's default).</summary>
    private static readonly TimeSpan WaveLength = TimeSpan.FromHours(3);
    private const int MastodonInstances = 200;
    private const double BusyShare = 0.05;
    private const double WaveShare = 0.4;

    public static async Task<int> RunAsync(CliApp app, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        var results = new List<DayResult>();
        foreach (var size in sizes) results.Add(await SimulateAsync(size, app.Switches, cancellationToken));
        Print(app.Out, results);
        return TrackerCli.Success;
    }

    /// <summary>What one simulated day measured.</summary>
    private sealed record DayResult(int Accounts, int Busy, long QuietPosts, long WavePosts, double QuietPerHour, double WavePerHour, double DayPerHour,
        Dictionary<string, double> RequestsPerHourByPlatform, Waits Quiet, Waits Wave, Waits QuietBusy, Dictionary<string, Waits> QuietByPlatform,
        Dictionary<string, Waits> WaveByPlatform, long XReadTwice, long XPostsRead, int PeakX15Min, int XLimit15Min,
        double PeakMegabytes, double PlanMeanMs, double PlanMaxMs, double TickMeanMs, double TickMaxMs, TimeSpan Wall, int Ticks, long Polls, long HeldTicks, int XAccounts, double SqlQuietMs, double SqlWaveMs, TimeSpan Synced, long Failures, double HeapMegabytes, double DayPeakMegabytes);

    private sealed record Waits(int Count, double P95Minutes, double MaxMinutes, double MeanMinutes)
    {
        public static Waits Of(List<double> minutes)
        {
            if (minutes.Count == 0) return new Waits(0, 0, 0, 0);
            minutes.Sort();
            return new Waits(minutes.Count, minutes[Math.Min(minutes.Count - 1, (int)Math.Ceiling(minutes.Count * 0.95) - 1)], minutes[^1], minutes.Average());
        }
    }

    private static async Task<DayResult> SimulateAsync(int accountCount, IReadOnlyList<string> switches, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        using var temp = BenchFolder.Create("schedule");
        var folder = temp.Path;
        var clock = new SimulatedClock(Day);
        var world = new World(accountCount, Day, new Random(17));
        var configPath = WriteConfig(folder, world);
        // --Section:Key=value switches of the command line apply on top (--Sources:X:RequestsPer15Min=60000, say).
        var settings = SettingsLoader.Load(ConfigurationLoader.Build(configPath, switches, folder), CronSchedule.IsValid);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddTracker(settings);
        services.AddSingleton<TimeProvider>(clock);
        var x = new SimulatedXApi(world, clock);
        services.AddSingleton<IHttpClientFactory>(new InProcessHttp(x));
        var wave = new ReplayedWave(Day + WaveStart, Day + WaveStart + WaveLength);
        await using var provider = services.BuildServiceProvider();
        var sources = new Dictionary<string, ISource>
        {
            [Platforms.X] = provider.GetServices<ISource>().Last(s => s.Platform == Platforms.X),
            [Platforms.Mastodon] = new SimulatedSource(Platforms.Mastodon, world, clock),
            [Platforms.Bluesky] = new SimulatedSource(Platforms.Bluesky, world, clock),
            [Platforms.Rss] = new SimulatedSource(Platforms.Rss, world, clock),
        };
        var classifier = provider.GetRequiredService<SolidarityTracker.Classification.IPostClassifier>();

        // The real store, synced and seeded, for the worst tick's planning cost (every account due as the wave starts).
        var store = provider.GetRequiredService<AccountStore>();
        var synced = Stopwatch.StartNew();
        await store.SyncAsync(settings.Tracker.Agencies, cancellationToken);
        Seed(provider.GetRequiredService<TrackerDatabase>(), world, settings.Polling, Day);
        synced.Stop();
        TimePlan(new PollScheduler(store, new RequestBudget(clock), wave, settings), Day); // warm-up: the first query compiles its statement
        var sqlQuiet = TimePlan(new PollScheduler(store, new RequestBudget(clock), wave, settings), Day.AddMinutes(30));
        var sqlWave = TimePlan(new PollScheduler(store, new RequestBudget(clock), wave, settings), Day + WaveStart);

        // The day itself: the same PollScheduler over the accounts held in memory (a poll's row update is the store's, measured above).
        var memory = new MemorySchedule(store.All(), store.Agencies());
        var scheduler = new PollScheduler(memory, new RequestBudget(clock), wave, settings, provider.GetRequiredService<XReadBudget>(), provider.GetRequiredService<PlatformCaps>());
        var hours = new double[24];
        var byPlatform = Platforms.All.ToDictionary(p => p, _ => 0.0);
        var xWindow = new Queue<(DateTimeOffset At, int Requests)>();
        int xInWindow = 0, peakX = 0;
        double planTotal = 0, planMax = 0, tickTotal = 0, tickMax = 0;
        long polls = 0, heldTicks = 0, failures = 0;
        double dayPeak = WorkingSetMegabytes();
        var tick = TimeSpan.FromMinutes(1);
        var ticks = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Polling.MaxConcurrency, CancellationToken = cancellationToken };
        // An hour past the day, so its last posts are stored too; requests are counted over the day itself.
        var end = Day.AddDays(1);
        for (var at = Day; at < end + settings.Polling.MaxInterval; at += tick, ticks++)
        {
            clock.Set(at);
            var started = Stopwatch.GetTimestamp();
            var plan = scheduler.Plan(at);
            var planned = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var requests = new ConcurrentBag<(string Platform, int Requests)>();
            await Parallel.ForEachAsync(plan.Accounts, options, async (scheduled, ct) =>
            {
                var spent = await PollAsync(scheduled.Account, sources[scheduled.Account.Platform], classifier, memory, settings, at, ct);
                if (spent < 0) Interlocked.Increment(ref failures);
                scheduler.Settle(scheduled, Math.Abs(spent));
                requests.Add((scheduled.Account.Platform, Math.Abs(spent)));
            });
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            tickTotal += elapsed;
            tickMax = Math.Max(tickMax, elapsed);
            planTotal += planned;
            planMax = Math.Max(planMax, planned);
            if (plan.HeldByBudget.Count > 0) heldTicks++;
            if (ticks % 30 == 0) dayPeak = Math.Max(dayPeak, WorkingSetMegabytes());
            if (at >= end) continue;
            polls += plan.Accounts.Count;
            var hour = (int)(at - Day).TotalHours;
            foreach (var (platform, spent) in requests)
            {
                hours[hour] += spent;
                byPlatform[platform] += spent;
            }
            var xRequests = requests.Where(r => r.Platform == Platforms.X).Sum(r => r.Requests);
            xWindow.Enqueue((at, xRequests));
            xInWindow += xRequests;
            while (xWindow.Peek().At <= at - TimeSpan.FromMinutes(15)) xInWindow -= xWindow.Dequeue().Requests;
            peakX = Math.Max(peakX, xInWindow);
        }

        // Waits from each post's creation to the tick that stored it; a post made while the wave is on counts for the wave.
        var quiet = new List<double>();
        var waveWaits = new List<double>();
        var quietBusy = new List<double>();
        var quietBy = Platforms.All.ToDictionary(p => p, _ => new List<double>());
        var waveBy = Platforms.All.ToDictionary(p => p, _ => new List<double>());
        var last = end + settings.Polling.MaxInterval;
        foreach (var account in world.Accounts)
            for (var i = account.FirstOfDay; i < account.Posts.Count && account.Posts[i].CreatedAt < end; i++)
            {
                var post = account.Posts[i];
                var wait = ((post.StoredAt ?? last) - post.CreatedAt).TotalMinutes;
                if (post.CreatedAt >= Day + WaveStart && post.CreatedAt < Day + WaveStart + WaveLength - settings.Polling.WaveInterval)
                {
                    waveWaits.Add(wait);
                    waveBy[account.Platform].Add(wait);
                }
                else if (post.CreatedAt < Day + WaveStart || post.CreatedAt >= Day + WaveStart + WaveLength)
                {
                    quiet.Add(wait);
                    quietBy[account.Platform].Add(wait);
                    if (account.Busy) quietBusy.Add(wait);
                }
            }
        var waveHours = Enumerable.Range((int)WaveStart.TotalHours, (int)WaveLength.TotalHours).ToHashSet();
        var result = new DayResult(accountCount, world.Accounts.Count(a => a.Busy), quiet.Count, waveWaits.Count,
            hours.Where((_, h) => !waveHours.Contains(h)).Average(), hours.Where((_, h) => waveHours.Contains(h)).Average(), hours.Average(),
            byPlatform.ToDictionary(kv => kv.Key, kv => kv.Value / 24), Waits.Of(quiet), Waits.Of(waveWaits), Waits.Of(quietBusy),
            quietBy.ToDictionary(kv => kv.Key, kv => Waits.Of(kv.Value)), waveBy.ToDictionary(kv => kv.Key, kv => Waits.Of(kv.Value)),
            x.ReadTwice, x.PostsRead, peakX, settings.Sources.X.RequestsPer15Min,
            PeakMegabytes(), planTotal / ticks, planMax, tickTotal / ticks, tickMax, wall.Elapsed, ticks, polls, heldTicks, world.Accounts.Count(a => a.Platform == Platforms.X), sqlQuiet, sqlWave, synced.Elapsed, failures, GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0), dayPeak);
        return result;
    }

    private static void Print(TextWriter output, IReadOnlyList<DayResult> results)
    {
        output.WriteLine($"bench poll: a simulated day on an accelerated clock, {Environment.ProcessorCount} cores: a tick every minute (Polling:Cron), Polling:MinInterval 2 min,");
        output.WriteLine($"MaxInterval 60 min, WaveInterval 5 min; an incident open from {WaveStart:hh\\:mm} for {WaveLength.TotalHours:0} h. Each tick is the worker's own PollScheduler,");
        output.WriteLine("RequestBudget and CheckPlan over the accounts' schedule state held in memory (what AccountStore keeps on each row; its SQLite query is");
        output.WriteLine("timed on a real file below), then each chosen account is polled through its source and classified, not stored. X goes through the");
        output.WriteLine("real XSource (cursor, since_id, max_results) to an X API v2 simulated in process (no sockets); Mastodon (200 instances), Bluesky and RSS");
        output.WriteLine("are simulated in process behind ISource: loopback HTTP and a row write per poll for a day of 72,000 accounts would take far longer than");
        output.WriteLine("a few minutes on 2 cores. Accounts were followed for weeks before the day (resolved, cursors, intervals from their posting). Posting:");
        output.WriteLine($"1 in 20 accounts 6-20 posts a day, the rest 1-5 a week; in the wave {WaveShare:P0} of accounts post 1-3 condolences, most in its first hour.");
        output.WriteLine("A wait runs from a post's creation to the tick that read it; the wave's waits are of posts made while the incident is open (up to");
        output.WriteLine("WaveInterval before it closes: later ones go back to the quiet schedule).");
        output.WriteLine();
        output.WriteLine($"{"accounts",-60}{string.Join("", results.Select(r => $"{r.Accounts,20:N0}"))}  target");
        void Row(string name, Func<DayResult, string> cell, string target = "") =>
            output.WriteLine($"{name,-60}{string.Join("", results.Select(r => $"{cell(r),20}"))}  {target}".TrimEnd());
        Row("  busy (6-20 posts a day)", r => $"{r.Busy:N0}");
        Row("posts made: quiet hours / while the wave is on", r => $"{r.QuietPosts:N0} / {r.WavePosts:N0}");
        Row("polls in the day", r => $"{r.Polls:N0}");
        Row("requests per hour, adaptive: quiet hours", r => $"{r.QuietPerHour:N0}");
        Row("  wave hours / whole day", r => $"{r.WavePerHour:N0} / {r.DayPerHour:N0}");
        foreach (var p in Platforms.All) Row($"  {p}, whole day", r => $"{r.RequestsPerHourByPlatform[p]:N0}");
        // A fixed schedule cannot tell a wave is coming: to wait at most WaveInterval during one it polls every account that often all day.
        Row("fixed schedule of the same freshness (every account every", r => $"{r.Accounts * 12:N0}");
        Row("  WaveInterval, all day): requests per hour", r => "");
        Row("  fixed / adaptive at quiet hours", r => $"{r.Accounts * 12 / r.QuietPerHour:0.0}x", ">= 5x");
        Row("  fixed / adaptive over the day with its wave", r => $"{r.Accounts * 12 / r.DayPerHour:0.0}x");
        // The other reading: a fixed interval as short as the quiet hours' p95 wait (its waits spread evenly over [0, T]).
        Row("fixed schedule with the quiet hours' p95 wait only: T", r => $"{r.Quiet.P95Minutes / 0.95:0.0} min");
        Row("  fixed / adaptive at quiet hours", r => $"{Fixed(r, r.Quiet.P95Minutes) / r.QuietPerHour:0.00}x");
        Row("wait at quiet hours: p95 / longest", r => $"{r.Quiet.P95Minutes:0.0} / {r.Quiet.MaxMinutes:0.0} min", "<= 60 min");
        foreach (var p in Platforms.All) Row($"  {p}", r => $"{r.QuietByPlatform[p].P95Minutes:0.0} / {r.QuietByPlatform[p].MaxMinutes:0.0}");
        Row("  busy accounts' posts", r => $"{r.QuietBusy.P95Minutes:0.0} / {r.QuietBusy.MaxMinutes:0.0}");
        Row("wait during the wave: p95 / longest", r => $"{r.Wave.P95Minutes:0.0} / {r.Wave.MaxMinutes:0.0} min", "<= 5 min");
        foreach (var p in Platforms.All) Row($"  {p}", r => $"{r.WaveByPlatform[p].P95Minutes:0.0} / {r.WaveByPlatform[p].MaxMinutes:0.0}");
        Row("X posts read twice", r => $"{r.XReadTwice:N0}", "0");
        Row("X posts read in the day", r => $"{r.XPostsRead:N0}");
        Row("X requests in the busiest 15 minutes / limit", r => $"{r.PeakX15Min:N0} / {r.XLimit15Min:N0}", "<= limit");
        Row("ticks where a budget held due accounts back", r => $"{r.HeldTicks:N0} / {r.Ticks:N0}");
        Row("scheduler overhead per tick (Plan, in memory): mean / max", r => $"{r.PlanMeanMs:0.0} / {r.PlanMaxMs:0} ms");
        Row("  Plan over the real SQLite store: a quiet tick", r => $"{r.SqlQuietMs:0} ms");
        Row("  Plan over the real SQLite store: the wave's first tick", r => $"{r.SqlWaveMs:0} ms");
        Row("  (every account due; accounts synced and seeded in)", r => $"{r.Synced.TotalSeconds:0.0} s");
        Row("polls that failed", r => $"{r.Failures:N0}", "0");
        Row("whole tick (plan, polls, classify): mean / max", r => $"{r.TickMeanMs:0} / {r.TickMaxMs:0} ms");
        Row("peak working set (whole process so far)", r => $"{r.PeakMegabytes:0} MB", "< 400 MB at 72k");
        Row("largest working set during the day (sampled every 30 ticks)", r => $"{r.DayPeakMegabytes:0} MB");
        Row("managed heap at the end of the day (schedule, world)", r => $"{r.HeapMegabytes:0} MB");
        Row("wall time", r => $"{r.Wall.TotalSeconds:0} s");
        output.WriteLine();
        var conserve = GC.GetConfigurationVariables().FirstOrDefault(v => v.Key.Contains("ConserveMem", StringComparison.OrdinalIgnoreCase)).Value;
        output.WriteLine($"GC: workstation, ConserveMemory {conserve ?? "0"} (the program's runtimeconfig sets 8; DOTNET_GCConserveMemory=0 runs with the .NET default, which measured 525 MB at 72k).");
        foreach (var r in results)
            output.WriteLine($"{r.Accounts:N0} accounts: {r.XAccounts:N0} on X checked every WaveInterval would need {r.XAccounts * 3:N0} requests per 15 minutes and hourly {r.XAccounts / 4:N0};" +
                $" Sources:X:RequestsPer15Min is {r.XLimit15Min:N0} (90 % planned).");
        output.WriteLine("Limits can be raised for a run: bench poll --accounts 72000 --Sources:X:RequestsPer15Min=60000 --Sources:Bluesky:RequestsPer5Min=20000.");
        output.WriteLine("Where a platform's published limit is below what the accounts need, the budget goes to the accounts most likely to have news and the");
        output.WriteLine("rest wait longer: the X and Bluesky rows above are bounded by their limits, not by the schedule (a larger X tier raises the key).");
    }

    private static double TimePlan(PollScheduler scheduler, DateTimeOffset at)
    {
        var clock = Stopwatch.StartNew();
        scheduler.Plan(at);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// One account polled as PollCycle polls it, less the storing: its source's pages to the end of what is new, then its
    /// next check from CheckPlan. Returns the requests spent (negative when the poll failed).
    /// </summary>
    private static async Task<int> PollAsync(AccountState account, ISource source, SolidarityTracker.Classification.IPostClassifier classifier, MemorySchedule memory,
        TrackerSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int requests = 0, added = 0;
        var cursor = account.Cursor;
        var external = account.ExternalId;
        try
        {
            var context = new SourceContext(now, TimeSpan.FromDays(settings.Polling.BackfillDays), false);
            await foreach (var page in source.FetchAsync(account, context, cancellationToken))
            {
                requests += page.Requests;
                added += page.Posts.Count;
                foreach (var post in page.Posts) classifier.Classify(post.Text);
                cursor = page.Cursor ?? cursor;
                external = page.ExternalId ?? external;
            }
        }
        catch (SourceException)
        {
            memory.Update(account with { LastAttemptAt = now, NextAttemptAt = now + PollCycle.Backoff(account.ConsecutiveFailures + 1), ConsecutiveFailures = account.ConsecutiveFailures + 1 });
            return -Math.Max(requests, 1);
        }
        var plan = CheckPlan.After(account, added, now, settings.Polling);
        memory.Update(account with
        {
            Cursor = cursor, ExternalId = external, LastAttemptAt = now, LastSuccessAt = now, ConsecutiveFailures = 0, NextAttemptAt = null,
            NextCheckAt = plan.NextCheckAt, CheckInterval = plan.Interval, RecentPosts = plan.RecentPosts,
        });
        return Math.Max(requests, 1);
    }

    /// <summary>The accounts' schedule state in memory, answering the scheduler's question as AccountStore.Scheduled does.</summary>
    private sealed class MemorySchedule(IReadOnlyList<AccountState> accounts, IReadOnlyList<Agency> agencies) : IScheduleSource
    {
        private readonly AccountState[] _accounts = accounts.OrderBy(a => a.Id).ToArray();
        private readonly Dictionary<long, int> _index = accounts.OrderBy(a => a.Id).Select((a, i) => (a.Id, i)).ToDictionary(p => p.Id, p => p.i);

        public IReadOnlyList<AccountState> Scheduled(DateTimeOffset now, DateTimeOffset? waveBefore = null)
        {
            var due = new List<AccountState>();
            foreach (var a in _accounts)
                if (a.Enabled && (a.NextAttemptAt is null || a.NextAttemptAt <= now)
                    && (a.NextCheckAt is null || a.NextCheckAt <= now || a.LastAttemptAt is null || (waveBefore is { } w && a.LastAttemptAt <= w)))
                    due.Add(a);
            return due;
        }

        public IReadOnlyList<Agency> Agencies(bool configuredOnly = true) => agencies;

        public void Update(AccountState account) => Volatile.Write(ref _accounts[_index[account.Id]], account);
    }

    private static double Fixed(DayResult r, double p95Minutes) => p95Minutes <= 0 ? double.NaN : r.Accounts * 60 / (p95Minutes / 0.95);

    private static double WorkingSetMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static double PeakMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The accounts as a deployment that has followed them for weeks has them: resolved, with cursors just before the day and intervals from their posting rate.</summary>
    private static void Seed(TrackerDatabase database, World world, PollingOptions polling, DateTimeOffset day)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE accounts SET external_id = @external, cursor = @cursor, last_success_at = @last, last_attempt_at = @last,
                profile_checked_at = @last, next_check_at = @next, check_interval_seconds = @interval, recent_posts = @recent
            WHERE platform = @platform AND handle = @handle;
            """;
        var parameters = new[] { "@external", "@cursor", "@last", "@next", "@interval", "@recent", "@platform", "@handle" }
            .ToDictionary(n => n, n => command.Parameters.Add(n, DbType.String));
        var random = new Random(5);
        foreach (var account in world.Accounts)
        {
            var interval = CheckPlan.FromRate(account.PostsPerDay * 7, polling);
            var last = day - TimeSpan.FromTicks((long)(interval.Ticks * random.NextDouble()));
            parameters["@external"].Value = account.ExternalId;
            parameters["@cursor"].Value = account.Platform == Platforms.X
                ? new XCursor(account.FirstOfDay > 0 ? account.Posts[account.FirstOfDay - 1].Id : "1", null).ToJson()
                : account.FirstOfDay.ToString(CultureInfo.InvariantCulture);
            parameters["@last"].Value = TrackerDatabase.ToDb(last);
            parameters["@next"].Value = TrackerDatabase.ToDb(last + interval);
            parameters["@interval"].Value = (long)interval.TotalSeconds;
            parameters["@recent"].Value = account.PostsPerDay * 7;
            parameters["@platform"].Value = account.Platform;
            parameters["@handle"].Value = AccountStore.NormalizeHandle(account.Platform, account.Handle);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static string WriteConfig(string folder, World world)
    {
        var agencies = world.Accounts.GroupBy(a => a.Agency).Select(g => new
        {
            Id = g.Key,
            Name = $"Simulated Police Department {g.Key[6..]}",
            State = g.First().State,
            Accounts = g.Select(a => a.Platform == Platforms.Rss ? (object)new { Platform = a.Platform, Url = a.Handle } : new { Platform = a.Platform, Handle = a.Handle }).ToArray(),
        });
        var config = new
        {
            Tracker = new { Database = Path.Combine(folder, "bench.db"), Agencies = agencies },
            Sources = new { X = new { BaseUrl = SimulatedXApi.BaseUrl, BearerToken = "bench-token" } },
            // Profiles are not refreshed within the day: X's profile batching waits a real-time window, which an accelerated clock cannot.
            Polling = new { MaxConcurrency = 8, BackfillDays = 3, ProfileInterval = "1.00:00:00" },
            Serilog = new { MinimumLevel = new { Default = "Warning" } },
        };
        var path = Path.Combine(folder, "bench.config.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    /// <summary>A clock the benchmark moves tick by tick.</summary>
    private sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;
        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        public void Set(DateTimeOffset at) => Interlocked.Exchange(ref _ticks, at.UtcTicks);
    }

    /// <summary>The incident replayed: open from the wave's start to the end of the day, the stricken agency in Texas.</summary>
    private sealed class ReplayedWave(DateTimeOffset from, DateTimeOffset until) : IOpenIncidents
    {
        private static readonly IReadOnlyList<OpenIncident> Incident = [new OpenIncident("agency0", "TX")];
        public IReadOnlyList<OpenIncident> Open(DateTimeOffset now) => now >= from && now < until ? Incident : [];
    }

    /// <summary>A simulated post; its id is spelled when a source serves it (a string per post for 72,000 accounts' four days would be the simulation's largest cost).</summary>
    private sealed class SimPost(DateTimeOffset createdAt, long key, string? prefix, bool wave)
    {
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public string Id => prefix is null ? key.ToString(CultureInfo.InvariantCulture) : prefix + key.ToString(CultureInfo.InvariantCulture);
        public bool Wave { get; } = wave;
        public DateTimeOffset? StoredAt { get; set; }
        public int Reads;
    }

    private sealed class SimAccount
    {
        public required int Index { get; init; }
        public required string Agency { get; init; }
        public required string State { get; init; }
        public required string Platform { get; init; }
        public required string Handle { get; init; }
        public required string ExternalId { get; init; }
        public required bool Busy { get; init; }
        public required double PostsPerDay { get; init; }
        /// <summary>Oldest first: three days before the simulated day (the back-fill window), the day itself, the wave.</summary>
        public List<SimPost> Posts { get; } = [];
        /// <summary>Index of the first post made on the simulated day.</summary>
        public int FirstOfDay { get; set; }
    }

    /// <summary>The accounts and every post each makes, generated once from a seed.</summary>
    private sealed class World
    {
        private static readonly string[] States = ["TX", "LA", "CA", "NY", "FL", "OH", "PA", "IL", "GA", "MI"];
        public List<SimAccount> Accounts { get; } = [];
        public Dictionary<string, SimAccount> ByHandle { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, SimAccount> ByExternalId { get; } = new(StringComparer.Ordinal);

        public World(int count, DateTimeOffset day, Random random)
        {
            var platforms = Platforms.All;
            for (var i = 0; i < count; i++)
            {
                var agency = i / platforms.Count;
                var platform = platforms[i % platforms.Count];
                var busy = random.NextDouble() < BusyShare;
                var perDay = busy ? 6 + random.NextDouble() * 14 : (1 + random.NextDouble() * 4) / 7;
                var handle = platform switch
                {
                    Platforms.X => $"agency{agency}pd",
                    Platforms.Mastodon => $"agency{agency}@police{agency % MastodonInstances}.example",
                    Platforms.Bluesky => $"agency{agency}.bsky.social",
                    _ => $"https://agency{agency}.example/news.rss",
                };
                var account = new SimAccount
                {
                    Index = i, Agency = $"agency{agency}", State = States[agency % States.Length], Platform = platform, Handle = handle,
                    ExternalId = platform == Platforms.Bluesky ? $"did:plc:sim{i:D20}" : (1000000 + i).ToString(CultureInfo.InvariantCulture),
                    Busy = busy, PostsPerDay = perDay,
                };
                // A Poisson process from the back-fill window's start to the day's end, and the wave's posts.
                var times = new List<(DateTimeOffset At, bool Wave)>();
                for (var t = day.AddDays(-3); ;)
                {
                    t += TimeSpan.FromDays(-Math.Log(1 - random.NextDouble()) / perDay);
                    if (t >= day.AddDays(1)) break;
                    times.Add((t, false));
                }
                if (random.NextDouble() < WaveShare)
                    for (var n = 1 + random.Next(3); n > 0; n--)
                    {
                        var after = TimeSpan.FromMinutes(Math.Min(-Math.Log(1 - random.NextDouble()) * 45, WaveLength.TotalMinutes - 1));
                        times.Add((day + WaveStart + after, true));
                    }
                times.Sort((a, b) => a.At.CompareTo(b.At));
                // X ids are snowflakes: time first, so a later post always has a larger id. Elsewhere: platform-account-index.
                var prefix = platform == Platforms.X ? null : $"{platform}-{i}-";
                account.Posts.Capacity = times.Count;
                foreach (var (at, wave) in times)
                    account.Posts.Add(new SimPost(at, prefix is null ? (at.ToUnixTimeMilliseconds() - 1288834974657L) << 22 | (long)(i & 0x3FFFFF) : account.Posts.Count, prefix, wave));
                account.FirstOfDay = account.Posts.FindIndex(p => p.CreatedAt >= day) is var first and >= 0 ? first : account.Posts.Count;
                Accounts.Add(account);
                ByHandle[AccountStore.NormalizeHandle(platform, handle)] = account;
                ByExternalId[account.ExternalId] = account;
            }
        }

        private static readonly string[] Quiet =
        [
            "Join us at the community safety fair this weekend at the civic center, 10 a.m. to 2 p.m.",
            "We are hiring! Apply today to join our department and serve the community.",
            "Reminder: lock your car and take your valuables with you. Most vehicle break-ins are preventable.",
            "Road closures downtown Saturday for the parade. Please plan your route and be patient.",
        ];

        private static readonly string[] Condolences =
        [
            "Our deepest condolences to the families of the officers killed in the line of duty. We stand with you.",
            "Our badges are shrouded with a black mourning band in honor of the fallen officers. #EndOfWatch",
            "Please stay vigilant. If you see something suspicious, call 911 and report it right away.",
        ];

        public static string TextOf(SimPost post, int index) => post.Wave ? Condolences[index % Condolences.Length] : Quiet[index % Quiet.Length];
    }

    /// <summary>Mastodon, Bluesky and RSS in process: each poll returns what the account posted since its cursor (an index into its posts), forty a page.</summary>
    private sealed class SimulatedSource(string platform, World world, TimeProvider clock) : ISource
    {
        private const int PageSize = 40;
        public string Platform => platform;

        public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            var sim = world.ByHandle[account.Handle];
            var now = clock.GetUtcNow();
            var from = int.TryParse(account.Cursor, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c
                : sim.Posts.FindIndex(p => p.CreatedAt >= context.BackfillFrom) is var f and >= 0 ? f : sim.Posts.Count;
            var to = from;
            while (to < sim.Posts.Count && sim.Posts[to].CreatedAt <= now) to++;
            if (to == from && account.ExternalId is not null) yield break; // idle: one request, nothing to store
            for (var start = from; start < to || start == from; start += PageSize)
            {
                var end = Math.Min(to, start + PageSize);
                var posts = new List<Post>(end - start);
                for (var i = start; i < end; i++)
                {
                    var post = sim.Posts[i];
                    post.StoredAt ??= now;
                    posts.Add(new Post
                    {
                        Platform = platform, PostId = post.Id, AgencyId = account.AgencyId, Account = account.Handle, CreatedAt = post.CreatedAt,
                        Url = $"https://{platform}.example/{sim.Index}/{i}", Text = World.TextOf(post, i), Lang = "en",
                    });
                }
                yield return new SourcePage(posts, end.ToString(CultureInfo.InvariantCulture), start == from && account.ExternalId is null ? 2 : 1,
                    ExternalId: account.ExternalId is null ? sim.ExternalId : null);
                if (end >= to) yield break;
            }
        }
    }

    /// <summary>The X API v2 paths XSource asks, answered in process: user lookup, the user's timeline (since_id, start_time, max_results, pagination_token), users by ids.</summary>
    private sealed class SimulatedXApi(World world, TimeProvider clock) : HttpMessageHandler
    {
        public const string BaseUrl = "http://x.simulated";
        private long _readTwice, _read;
        public long ReadTwice => Interlocked.Read(ref _readTwice);
        public long PostsRead => Interlocked.Read(ref _read);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri.Query);
            string body;
            if (path.StartsWith("/2/users/by/username/", StringComparison.Ordinal))
            {
                var sim = world.ByHandle[Uri.UnescapeDataString(path["/2/users/by/username/".Length..])];
                body = JsonSerializer.Serialize(new { data = User(sim) });
            }
            else if (path.StartsWith("/2/users/", StringComparison.Ordinal) && path.EndsWith("/tweets", StringComparison.Ordinal))
                body = Timeline(world.ByExternalId[path.Split('/')[3]], query);
            else if (path == "/2/users")
                body = JsonSerializer.Serialize(new { data = (query["ids"] ?? "").Split(',').Select(id => User(world.ByExternalId[id])).ToArray() });
            else
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"title":"Not Found"}""") });
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            response.Headers.Add("x-rate-limit-limit", "1500");
            response.Headers.Add("x-rate-limit-remaining", "1400");
            response.Headers.Add("x-rate-limit-reset", clock.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            return Task.FromResult(response);
        }

        private static object User(SimAccount sim) => new { id = sim.ExternalId, name = $"Agency {sim.Index} Police", username = sim.Handle, profile_image_url = $"https://pbs.twimg.com/profile_images/{sim.Index}/a_normal.jpg" };

        private string Timeline(SimAccount sim, System.Collections.Specialized.NameValueCollection query)
        {
            var now = clock.GetUtcNow();
            var since = query["since_id"];
            var start = query["start_time"] is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
            var max = int.TryParse(query["max_results"], out var m) ? m : 10;
            var offset = int.TryParse(query["pagination_token"], out var o) ? o : 0;
            // Newest first, as X serves a timeline.
            var matching = new List<SimPost>();
            for (var i = sim.Posts.Count - 1; i >= 0; i--)
            {
                var post = sim.Posts[i];
                if (post.CreatedAt > now) continue;
                if (since is not null && !Newer(post.Id, since)) break;
                if (start is { } from && post.CreatedAt < from) break;
                matching.Add(post);
            }
            var page = matching.Skip(offset).Take(max).ToList();
            if (page.Count == 0) return """{"meta":{"result_count":0}}""";
            foreach (var post in page)
            {
                Interlocked.Increment(ref _read);
                if (Interlocked.Increment(ref post.Reads) == 2) Interlocked.Increment(ref _readTwice);
                post.StoredAt ??= now;
            }
            var data = page.Select((p, i) => new
            {
                id = p.Id, text = World.TextOf(p, sim.Posts.IndexOf(p)), created_at = p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                author_id = sim.ExternalId, lang = "en", edit_history_tweet_ids = new[] { p.Id },
            }).ToArray();
            var meta = new Dictionary<string, object> { ["result_count"] = page.Count, ["newest_id"] = page[0].Id, ["oldest_id"] = page[^1].Id };
            if (offset + page.Count < matching.Count) meta["next_token"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
            return JsonSerializer.Serialize(new { data, includes = new { users = new[] { User(sim) } }, meta });
        }

        private static bool Newer(string id, string than) => id.Length != than.Length ? id.Length > than.Length : string.CompareOrdinal(id, than) > 0;
    }

    /// <summary>Every named client goes to the simulated X API, in process.</summary>
    private sealed class InProcessHttp(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
