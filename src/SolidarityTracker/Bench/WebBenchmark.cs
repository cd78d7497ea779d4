using System.Net;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Web;

namespace SolidarityTracker.Bench;

/// <summary>
/// `bench web [--posts N] [--agencies A] [--seconds S]`: the dashboard on a real Kestrel over a store of N posts
/// (StoreBenchmark's corpus: A agencies, 10,000 by default, two seconds apart from 7 July 2016), 16 clients side by side on each of `/?date=D`,
/// `/search?q=…`, `/api/posts?limit=100` and `/incidents/{id}`: p50/p95/p99 and requests/s, beside the raw SQLite time
/// of the query under each page, measured in the same run. Target p95 ≤ 100 ms on 2 cores at 1,000,000 posts. The
/// clients share the machine with the server, so figures are a floor of what a separate client would see.
/// </summary>
public static class WebBenchmark
{
    private const int DefaultPosts = 100_000;
    private const int DefaultAgencies = 10_000;
    private const int Clients = 16;

    public static Command CreateCommand(CliApp app)
    {
        var posts = new Option<int?>("--posts") { Description = $"Stored posts (default {DefaultPosts:N0}; the target is for --posts 1000000)." };
        var agencies = new Option<int?>("--agencies") { Description = $"Agencies the posts come from (default {DefaultAgencies:N0})." };
        var seconds = new Option<int?>("--seconds") { Description = "How long the 16 clients hit each page (default 5)." };
        var command = new Command("web", "Dashboard and API latency under 16 concurrent clients beside the raw SQLite time of each page's query.") { posts, agencies, seconds };
        command.SetAction((parse, ct) => RunAsync(app, parse.GetValue(posts) ?? DefaultPosts, parse.GetValue(agencies) ?? DefaultAgencies, parse.GetValue(seconds) ?? 5, ct));
        return command;
    }

    public static async Task<int> RunAsync(CliApp app, int posts, int agencies, int seconds, CancellationToken cancellationToken)
    {
        if (posts < 1_000) throw new BadInputException($"--posts {posts}: at least 1000");
        if (agencies is < 1 or > 100_000) throw new BadInputException($"--agencies {agencies}: from 1 to 100000");
        if (seconds is < 1 or > 600) throw new BadInputException($"--seconds {seconds}: from 1 to 600");
        var output = app.Out;
        using var temp = BenchFolder.Create("web");
        var folder = temp.Path;
        var file = Path.Combine(folder, "bench.db");
        output.WriteLine($"bench web: {posts:N0} posts from {agencies:N0} agencies, {Clients} clients, {seconds} s a page, {Environment.ProcessorCount} cores, load average {StoreBenchmark.LoadAverage()}");
        var corpus = new StoreBenchmark.Corpus(seed: 2016, agencies);
        var seed = StoreBenchmark.Seed(new TrackerDatabase(file), Enumerable.Range(0, posts).Select(corpus.Next), corpus.Agencies);
        output.WriteLine($"  seeded in {seed.TotalSeconds:N1} s ({new FileInfo(file).Length / 1048576.0:N0} MiB)");

        using var server = new CliApp(null, [$"--Tracker:Database={file}", "--Web:Urls=http://127.0.0.1:0", "--Digest:TimeZone=America/Chicago", "--Serilog:MinimumLevel:Default=Warning"],
            TextWriter.Null, app.Error, app.BaseDirectory);
        await using var web = WebServer.Map(WebServer.CreateBuilder(server).Build());
        await web.StartAsync(cancellationToken);
        var baseUrl = WebServer.Addresses(web)[0];
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };

        // The busiest local day of the corpus's wave, and its first incident.
        var day = new DateOnly(2016, 7, 7).AddDays(Math.Min(10, posts * 2 / 86_400 / 2));
        var cold = Stopwatch.StartNew();
        using var incidents = JsonDocument.Parse(await client.GetStringAsync($"/api/incidents?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}", cancellationToken));
        output.WriteLine($"  first read of {day:yyyy-MM-dd} (the day's digest model, then kept {IncidentCatalog.Freshness.TotalSeconds:N0} s): {cold.Elapsed.TotalMilliseconds:N0} ms");
        var list = incidents.RootElement.GetProperty("incidents");
        var incident = list.GetArrayLength() > 0 ? list[0].GetProperty("id").GetString() : null;

        using var raw = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        raw.Open();
        var (from, to) = Model.LocalDay.Bounds(day, TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));
        var daySql = $"SELECT p.id, p.text, c.labels, c.evidence FROM posts p LEFT JOIN classifications c ON c.post_id = p.id WHERE p.deleted_at IS NULL AND p.created_at >= '{TrackerDatabase.ToDb(from)}' AND p.created_at < '{TrackerDatabase.ToDb(to)}' ORDER BY p.created_at, p.id";
        var pages = new List<(string Name, string Url, string Sql)>
        {
            ("/ (a day)", $"/?date={day:yyyy-MM-dd}", daySql),
            ("/search?q=vigil", "/search?q=vigil", "SELECT p.id, p.text, c.labels FROM posts p LEFT JOIN classifications c ON c.post_id = p.id WHERE p.deleted_at IS NULL AND p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'vigil') ORDER BY p.created_at, p.id LIMIT 51"),
            ("/api/posts?limit=100", "/api/posts?limit=100", "SELECT p.id, p.text, c.labels FROM posts p LEFT JOIN classifications c ON c.post_id = p.id WHERE p.deleted_at IS NULL ORDER BY p.created_at, p.id LIMIT 101"),
        };
        if (incident is not null) pages.Add(($"/incidents/{{id}}", $"/incidents/{incident}", daySql));
        else output.WriteLine("  (no incident on that day: /incidents/{id} not measured)");

        output.WriteLine("  (alone: one client's median, the page's own cost; with 16 clients a page waits behind the others: p50 ~ 16 / req/s)");
        output.WriteLine($"  {"page",-22} {"alone",8} {"p50",8} {"p95",8} {"p99",8} {"req/s",8}   raw SQLite (median)  verdict (p95 <= 100 ms)");
        foreach (var (name, url, sql) in pages)
        {
            var rawMs = RawMedian(raw, sql);
            var (single, _, _) = await HammerAsync(client, url, TimeSpan.FromSeconds(1), 1, cancellationToken);
            var (latencies, rate, failures) = await HammerAsync(client, url, TimeSpan.FromSeconds(seconds), Clients, cancellationToken);
            double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
            var p95 = P(0.95);
            output.WriteLine($"  {name,-22} {single[single.Length / 2],6:N1}ms {P(0.50),6:N1}ms {p95,6:N1}ms {P(0.99),6:N1}ms {rate,8:N0}   {rawMs,10:N1} ms          {(failures > 0 ? $"{failures} failed; " : "")}{(p95 <= 100 ? "ok" : "over")}");
        }
        using var process = Process.GetCurrentProcess();
        output.WriteLine($"  memory: working set {process.WorkingSet64 / 1048576.0:N0} MiB (peak {process.PeakWorkingSet64 / 1048576.0:N0} MiB), managed heap {GC.GetTotalMemory(false) / 1048576.0:N0} MiB");
        await web.StopAsync(CancellationToken.None);
        return TrackerCli.Success;
    }

    /// <summary>Clients asking for the page back to back for the duration; the latencies sorted, requests per second, failures.</summary>
    private static async Task<(double[] Latencies, double Rate, int Failures)> HammerAsync(HttpClient client, string url, TimeSpan duration, int clients, CancellationToken cancellationToken)
    {
        var latencies = new List<double>[clients];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all, all.Length / clock.Elapsed.TotalSeconds, failures);
    }

    private static double RawMedian(DbConnection connection, string sql)
    {
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var clock = Stopwatch.StartNew();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read()) { }
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
