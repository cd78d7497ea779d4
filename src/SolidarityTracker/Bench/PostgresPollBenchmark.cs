namespace SolidarityTracker.Bench;

/// <summary>
/// `bench poll --provider postgres [--accounts N] [--nodes K]`: nodes sharing one PostgreSQL store (Tracker:ConnectionString;
/// each run in a database of its own, dropped at the end). For 1 to K nodes: a fresh store, one untimed cycle that
/// stores every account's posts, then one cycle of every account run by all the nodes at once (each its own services,
/// store handle and poll cycle, as separate processes would be), against the loopback platforms with
/// <see cref="Latency"/> per request so the platforms, not the CPU, are the bound. Printed: wall time, accounts polled
/// per second, accounts polled twice (must be 0), and the speed-up over one node (target: two nodes >= 1.7x).
/// </summary>
public static class PostgresPollBenchmark
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync(CliApp app, int accounts, int most, CancellationToken cancellationToken)
    {
        if (most < 1) throw new BadInputException($"--nodes {most}: at least 1");
        await using var server = BenchPostgres.For(app, "bench poll");
        using var temp = BenchFolder.Create("poll-pg");
        await using var platforms = await PollBenchServer.StartAsync(Latency, DateTimeOffset.UtcNow);
        var output = app.Out;
        output.WriteLine($"bench poll --provider postgres: {accounts:N0} accounts ({string.Join(", ", Platforms.All)}), each node {PollBenchmark.Concurrency} at a time, " +
            $"{Latency.TotalMilliseconds:0} ms added latency, {Environment.ProcessorCount} cores, load average {StoreBenchmark.LoadAverage()}, on {server.Describe}");
        output.WriteLine($"{"nodes",5} {"wall s",8} {"polled",8} {"accounts/s",11} {"twice",6} {"requests",9} {"failed",7} {"speed-up",9}");
        double? one = null;
        for (var k = 1; k <= most; k++)
        {
            var database = await server.CreateAsync($"poll_{k}", cancellationToken, maxPoolSize: 45);
            try
            {
                var folder = Directory.CreateDirectory(Path.Combine(temp.Path, $"nodes-{k}")).FullName;
                var config = PollBenchmark.WriteConfig(folder, platforms, accounts, Platforms.All);
                // Polling is measured, not incident detection: the simulated posts (every account's 20 at once) are kept out of
                // the incident window, or every page would regroup the whole simulated wave.
                string[] switches = ["--Sources:X:BearerToken=bench-token", "--Tracker:Provider=postgres", $"--Tracker:ConnectionString={database}", "--Alerts:Incident:Window=00:00:01"];
                var nodes = Enumerable.Range(0, k).Select(_ => new CliApp(config, switches, TextWriter.Null, app.Error, app.BaseDirectory)).ToList();
                try
                {
                    await nodes[0].SyncAccountsAsync(cancellationToken, noteIfEmpty: false);
                    await nodes[0].Get<PollCycle>().RunAsync(null, cancellationToken); // every account's posts, untimed
                    foreach (var node in nodes.Skip(1)) node.Get<PollCycle>(); // each node's services built outside the clock
                    var before = platforms.PlatformRequests;
                    var clock = Stopwatch.StartNew();
                    var summaries = await Task.WhenAll(nodes.Select(n => n.Get<PollCycle>().RunAsync(null, cancellationToken)));
                    var wall = clock.Elapsed;
                    var polled = summaries.SelectMany(s => s.Accounts).ToList();
                    var twice = polled.Count - polled.Select(a => a.AccountId).Distinct().Count();
                    var rate = polled.Count / wall.TotalSeconds;
                    one ??= rate;
                    output.WriteLine($"{k,5} {wall.TotalSeconds,8:0.00} {polled.Count,8:N0} {rate,11:N0} {twice,6:N0} {platforms.PlatformRequests - before,9:N0} {polled.Count(a => a.Failed),7:N0} {rate / one.Value,8:0.000}x" +
                        (k == 2 && rate / one.Value < 1.7 ? "  <- below target (>= 1.7x)" : "") +
                        (k > 1 ? $"  (per node: {string.Join(", ", summaries.Select(s => s.Accounts.Count.ToString("N0", CultureInfo.InvariantCulture)))})" : ""));
                    if (polled.FirstOrDefault(a => a.Failed) is { } failure) output.WriteLine($"      first failure: {failure.Platform} {failure.ErrorKind}: {failure.Error}");
                }
                finally
                {
                    foreach (var node in nodes) node.Dispose();
                }
            }
            finally
            {
                await server.DropAsync(database);
            }
        }
        var ideal = accounts * Latency.TotalSeconds / PollBenchmark.Concurrency;
        output.WriteLine($"the platforms' bound: one request per account, {PollBenchmark.Concurrency} at a time per node: {ideal:0.00} s for one node, {ideal / 2:0.00} s for two");
        return TrackerCli.Success;
    }
}
