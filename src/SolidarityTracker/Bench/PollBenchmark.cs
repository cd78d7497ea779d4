namespace SolidarityTracker.Bench;

/// <summary>
/// `bench poll [--accounts N] [--platforms x,mastodon,bluesky,rss]`: two full poll cycles through the real
/// PollCycle, sources, classifier and SQLite store, against an in-process loopback server with 50 ms of added
/// latency per request. Cycle 1 finds 20 posts per account; cycle 2 finds nothing new and should cost one
/// request per account. Beside it, the raw limit: as many bare HTTP requests, same concurrency and latency,
/// no parsing and no storing.
/// </summary>
public static class PollBenchmark
{
    public const int DefaultAccounts = 10_000;
    public const int Concurrency = 64;
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);

    public static Command CreateCommand(CliApp app)
    {
        var accounts = CliOptions.Text("--accounts", $"Accounts in all, spread evenly over the platforms (default {DefaultAccounts:N0}); for the simulated day a comma-separated list is shown side by side (10000,72000).");
        var cycles = CliOptions.Flag("--cycles", "Instead of the simulated day: two full poll cycles of every account against a loopback server with 50 ms latency.");
        var platforms = CliOptions.Text("--platforms", "With --cycles: comma-separated platforms to include (default: x,mastodon,bluesky,rss).");
        var provider = CliOptions.Text("--provider", "postgres: poll cycles of nodes sharing one PostgreSQL store (Tracker:ConnectionString, a role that may create databases), one node beside two or --nodes.");
        var nodes = CliOptions.Text("--nodes", "With --provider postgres: the most nodes compared (default 2).");
        var command = new Command("poll", "The adaptive schedule over a simulated day (requests per hour against a fixed schedule, waits, X reads, memory, overhead); --cycles: full poll cycles against a loopback server.")
            { accounts, cycles, platforms, provider, nodes };
        command.SetAction((parse, ct) =>
        {
            var sizes = Sizes(parse.GetValue(accounts));
            if (parse.GetValue(provider) is { } chosen)
            {
                if (chosen != StoreProviders.Postgres) throw new BadInputException($"--provider {chosen}: postgres (the other benchmarks of poll run on sqlite)");
                var most = parse.GetValue(nodes) is { } n ? Sizes(n)[0] : 2;
                return PostgresPollBenchmark.RunAsync(app, sizes[0], most, ct);
            }
            return parse.GetValue(cycles) || parse.GetValue(platforms) is not null
                ? RunAsync(app, sizes[0], parse.GetValue(platforms), ct)
                : ScheduleBenchmark.RunAsync(app, sizes, ct);
        });
        return command;
    }

    /// <summary>--accounts N or N,M,…: each at least 1.</summary>
    private static IReadOnlyList<int> Sizes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [DefaultAccounts];
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part.Replace("_", ""), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new BadInputException($"--accounts {text}: '{part}' is not a number of accounts (at least 1)");
            sizes.Add(n);
        }
        return sizes;
    }

    public static Task<int> RunAsync(CliApp app, CancellationToken cancellationToken) => RunAsync(app, DefaultAccounts, null, cancellationToken);

    public static async Task<int> RunAsync(CliApp app, int accountCount, string? platformList, CancellationToken cancellationToken)
    {
        if (accountCount < 1) throw new BadInputException($"--accounts {accountCount}: must be at least 1");
        var platforms = (platformList ?? string.Join(',', Platforms.All)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var p in platforms)
            if (!Platforms.IsKnown(p)) throw new BadInputException($"--platforms: unknown platform '{p}'; expected {string.Join(", ", Platforms.All)}");

        using var temp = BenchFolder.Create("poll");
        var folder = temp.Path;
        await using var server = await PollBenchServer.StartAsync(Latency, DateTimeOffset.UtcNow);
        var config = WriteConfig(folder, server, accountCount, platforms);
        var switches = new[] { "--Sources:X:BearerToken=bench-token" };
        using var bench = new CliApp(config, switches, app.Out, app.Error, app.BaseDirectory);
        var setup = Stopwatch.StartNew();
        _ = bench.Configuration;
        var read = setup.Elapsed;
        _ = bench.Settings;
        var loaded = setup.Elapsed;
        await bench.SyncAccountsAsync(cancellationToken, noteIfEmpty: false);
        var synced = setup.Elapsed - loaded;
        var cycle = bench.Get<PollCycle>();
        var postStore = bench.Get<PostStore>();

        app.Out.WriteLine($"bench poll: {accountCount:N0} accounts ({string.Join(", ", platforms)}), max concurrency {Concurrency}, {Latency.TotalMilliseconds:0} ms added latency, {Environment.ProcessorCount} cores");
        app.Out.WriteLine($"database {Path.Combine(folder, "bench.db")}; logs {Path.Combine(folder, "bench.log")}");
        app.Out.WriteLine($"set-up: configuration read in {read.TotalSeconds:0.00} s, bound and validated in {(loaded - read).TotalSeconds:0.00} s, accounts synced in {synced.TotalSeconds:0.00} s");
        app.Out.WriteLine();
        app.Out.WriteLine($"{"cycle",-6} {"polled",7} {"wall s",8} {"requests",9} {"req/acct",8} {"posts",8} {"posts/s",9} {"failed",7} {"peak MB",8}");
        var rows = new List<(int Cycle, PollSummary Summary, Dictionary<string, long> Requests)>();
        for (var n = 1; n <= 2; n++)
        {
            var before = Snapshot(server);
            var postsBefore = postStore.Count();
            var clock = Stopwatch.StartNew();
            var summary = await cycle.RunAsync(null, cancellationToken);
            clock.Stop();
            var after = Snapshot(server);
            var requests = after.ToDictionary(kv => kv.Key, kv => kv.Value - before[kv.Key]);
            var stored = postStore.Count() - postsBefore;
            var total = requests.Values.Sum();
            app.Out.WriteLine($"{n,-6} {summary.Accounts.Count,7:N0} {clock.Elapsed.TotalSeconds,8:0.00} {total,9:N0} {(double)total / summary.Accounts.Count,8:0.00} {stored,8:N0} {stored / clock.Elapsed.TotalSeconds,9:N0} {summary.Failures,7:N0} {PeakMegabytes(),8:0}");
            rows.Add((n, summary, requests));
        }

        app.Out.WriteLine();
        app.Out.WriteLine($"{"cycle",-6} {"platform",-9} {"accounts",8} {"requests",9} {"new posts",9} {"failed",7}  first failure");
        foreach (var (n, summary, requests) in rows)
            foreach (var platform in platforms)
            {
                var accounts = summary.Accounts.Where(a => a.Platform == platform).ToList();
                var failure = accounts.FirstOrDefault(a => a.Failed);
                app.Out.WriteLine($"{n,-6} {platform,-9} {accounts.Count,8:N0} {requests[platform],9:N0} {accounts.Sum(a => a.NewPosts),9:N0} {accounts.Count(a => a.Failed),7:N0}  {(failure is null ? "" : $"{failure.ErrorKind}: {failure.Error}")}");
            }

        // The raw limit: as many bare requests as each cycle made, with the same concurrency and latency.
        app.Out.WriteLine();
        foreach (var (n, _, requests) in rows)
        {
            var count = (int)requests.Values.Sum();
            if (count == 0) continue;
            var raw = await RawLimitAsync(server, count, cancellationToken);
            app.Out.WriteLine($"raw limit of cycle {n}: {count:N0} bare GETs, {Concurrency} at a time, {Latency.TotalMilliseconds:0} ms latency, no parsing or storing: " +
                $"{raw.TotalSeconds:0.00} s (ideal {count * Latency.TotalSeconds / Concurrency:0.00} s)");
        }
        app.Out.WriteLine($"peak working set (whole process, server included): {PeakMegabytes():0} MB");
        app.Out.WriteLine("targets on 2 cores: cycle 1 < 60 s, cycle 2 one request per account and < 15 s, peak working set < 300 MB");
        return TrackerCli.Success;
    }

    internal static Dictionary<string, long> Snapshot(PollBenchServer server) => new()
    {
        [Platforms.X] = server.XRequests,
        [Platforms.Mastodon] = server.MastodonRequests,
        [Platforms.Bluesky] = server.BlueskyRequests,
        [Platforms.Rss] = server.RssRequests,
    };

    internal static double PeakMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static async Task<TimeSpan> RawLimitAsync(PollBenchServer server, int count, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency });
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (_, ct) =>
            {
                using var response = await http.GetAsync(server.BaseUrl + "/raw", ct);
                await response.Content.ReadAsByteArrayAsync(ct);
            });
        return clock.Elapsed;
    }

    /// <summary>Generated agencies, one per account index, each with an account on every benchmarked platform.</summary>
    internal static string WriteConfig(string folder, PollBenchServer server, int accountCount, IReadOnlyList<string> platforms)
    {
        var perPlatform = accountCount / platforms.Count;
        var extra = accountCount % platforms.Count;
        var agencies = new List<object>();
        var agencyCount = perPlatform + (extra > 0 ? 1 : 0);
        for (var i = 0; i < agencyCount; i++)
        {
            var accounts = new List<object>();
            for (var p = 0; p < platforms.Count; p++)
            {
                if (i == perPlatform && p >= extra) continue;
                accounts.Add(platforms[p] switch
                {
                    Platforms.X => new { Platform = Platforms.X, Handle = PollBenchServer.XHandle(i) },
                    Platforms.Mastodon => new { Platform = Platforms.Mastodon, Handle = PollBenchServer.MastodonHandle(i) },
                    Platforms.Bluesky => new { Platform = Platforms.Bluesky, Handle = PollBenchServer.BlueskyHandle(i) },
                    _ => (object)new { Platform = Platforms.Rss, Url = server.RssUrl(i) },
                });
            }
            agencies.Add(new { Id = $"bench-{i}", Name = $"Bench Police Department {i}", State = "TX", Accounts = accounts });
        }
        var config = new
        {
            Tracker = new { Database = Path.Combine(folder, "bench.db"), Agencies = agencies },
            Sources = new
            {
                X = new { BaseUrl = server.BaseUrl },
                Mastodon = new { BaseUrl = server.BaseUrl },
                Bluesky = new { BaseUrl = server.BaseUrl },
            },
            Polling = new { MaxConcurrency = Concurrency, BackfillDays = 3, RequestTimeout = "00:00:30" },
            // Failures are logged as warnings; they go to a file so the figures stay readable.
            Serilog = new
            {
                Using = new[] { "Serilog.Sinks.File" },
                MinimumLevel = new { Default = "Warning" },
                WriteTo = new[] { new { Name = "File", Args = new { path = Path.Combine(folder, "bench.log") } } },
            },
        };
        var path = Path.Combine(folder, "bench.config.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }
}
