using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Worker;

/// <summary>
/// Starts the real program as a child process against loopback feeds, kills it (SIGKILL) at random moments of a poll
/// cycle, restarts it, and compares what is stored with what the feeds served.
/// </summary>
public sealed class CrashSafetyTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private const int Feeds = 24;
    private const int KillTrials = 12;

    [Fact]
    public async Task Killing_the_poller_at_random_moments_never_loses_or_duplicates_a_post()
    {
        using var dir = new TestDirectory();
        var served = new ConcurrentDictionary<string, byte>();
        var requests = new ConcurrentDictionary<int, int>();
        var baseTime = DateTimeOffset.UtcNow.AddHours(-6);
        // Each feed grows by two items every time it is asked, so a cursor stored without its posts would skip some.
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var feed = int.Parse(context.Request.Path.Value!.Split('/')[^1].Replace(".xml", ""));
            var n = requests.AddOrUpdate(feed, 1, (_, v) => v + 1);
            var items = Math.Min(5 + 2 * n, 60);
            await Task.Delay(Random.Shared.Next(80, 250));
            var etag = $"\"{feed}-{items}\"";
            if (context.Request.Headers.IfNoneMatch.ToString() == etag) { context.Response.StatusCode = 304; return; }
            var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Feed ")
                .Append(feed).Append("</title><link>https://agency").Append(feed).Append(".example/</link><description>news</description>");
            for (var i = items; i >= 1; i--)
            {
                var guid = $"https://agency{feed}.example/news/{i}";
                served.TryAdd(guid, 0);
                xml.Append("<item><title>Update ").Append(i).Append("</title><link>").Append(guid).Append("</link><guid>").Append(guid)
                   .Append("</guid><pubDate>").Append(baseTime.AddMinutes(i).ToString("r")).Append("</pubDate><description>Officers remember a colleague. Item ")
                   .Append(i).Append("</description></item>");
            }
            xml.Append("</channel></rss>");
            context.Response.Headers.ETag = etag;
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(xml.ToString());
        });
        var agencies = Enumerable.Range(1, Feeds).Select(i => new
        {
            Id = $"agency-{i}", Name = $"Agency {i}", State = "OH",
            Accounts = new[] { new { Platform = "rss", Url = $"{server.BaseUrl}/feeds/{i}.xml" } },
        }).ToArray();
        var config = Config.Write(dir, agencies: agencies, polling: new { MaxConcurrency = 3, BackfillDays = 2 });

        var kills = 0;
        for (var trial = 0; trial < KillTrials; trial++)
        {
            // Kill at a random moment after the cycle has begun asking the feeds (start-up alone is not the point).
            var asked = requests.Values.Sum();
            using var child = ChildProgram.Start("poll", "--config", config);
            var started = DateTime.UtcNow;
            while (requests.Values.Sum() == asked && !child.HasExited && DateTime.UtcNow - started < TimeSpan.FromSeconds(20)) await Task.Delay(10);
            await Task.Delay(Random.Shared.Next(0, 1200));
            if (!child.HasExited) { child.Kill(); kills++; }
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }
        // Then polls that are left to finish; the feeds keep growing, so poll until one cycle stores nothing new.
        for (var round = 0; round < 3; round++)
        {
            using var child = ChildProgram.Start("poll", "--config", config);
            var code = await child.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(code == 0, child.Output);
        }
        using var finalPoll = ChildProgram.Start("poll", "--config", config);
        Assert.Equal(0, await finalPoll.WaitAsync(TimeSpan.FromSeconds(120)));

        Assert.True(kills >= KillTrials / 2, $"only {kills} of {KillTrials} trials killed the program mid-run");
        using var connection = new SqliteConnection($"Data Source={dir.File("tracker.db")};Pooling=False");
        connection.Open();
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check;"));
        var stored = Column(connection, "SELECT post_id FROM posts WHERE platform = 'rss';");
        Assert.Equal(stored.Count, stored.Distinct().Count());
        // Everything a feed served before the last poll is stored: nothing lost, nothing extra.
        var missing = served.Keys.Except(stored).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} served posts were never stored, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Empty(stored.Except(served.Keys));
        log.WriteLine($"{kills} of {KillTrials} runs killed mid-cycle; {stored.Count} posts stored, {served.Count} served, none missing or duplicated");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(reader.GetString(0));
        return list;
    }

    [Fact]
    public async Task Killing_an_import_at_random_moments_and_running_it_again_stores_every_record_once()
    {
        using var dir = new TestDirectory();
        const int records = 30_000;
        var file = dir.File("archive.jsonl");
        using (var writer = new StreamWriter(file))
        {
            var start = new DateTimeOffset(2026, 5, 13, 0, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < records; i++)
                writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
                {
                    platform = "x", post_id = (1790000000000000000L + i).ToString(), agency_id = $"agency-{i % 40}", agency_name = $"Agency {i % 40}",
                    account = $"agency{i % 40}", created_at = start.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                    url = $"https://x.com/agency{i % 40}/status/{1790000000000000000L + i}",
                    text = $"Our thoughts and prayers are with the family of Officer Reyes. Stay vigilant and report anything suspicious. #{i}",
                    labels = "", is_repost = false, is_reply = false, lang = "en",
                }));
        }
        var config = Config.Write(dir);

        var kills = 0;
        for (var trial = 0; trial < 6; trial++)
        {
            using var child = ChildProgram.Start("import", file, "--config", config);
            await Task.Delay(Random.Shared.Next(400, 2500));
            if (!child.HasExited) { child.Kill(); kills++; }
            await child.WaitAsync(TimeSpan.FromSeconds(60));
        }
        using (var last = ChildProgram.Start("import", file, "--config", config))
            Assert.True(await last.WaitAsync(TimeSpan.FromSeconds(180)) == 0, last.Output);

        using var connection = new SqliteConnection($"Data Source={dir.File("tracker.db")};Pooling=False");
        connection.Open();
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check;"));
        Assert.Equal((long)records, Scalar(connection, "SELECT COUNT(*) FROM posts;"));
        Assert.Equal((long)records, Scalar(connection, "SELECT COUNT(DISTINCT post_id) FROM posts;"));
        Assert.Equal((long)records, Scalar(connection, "SELECT COUNT(*) FROM classifications;"));
        // The full-text index holds every post once too.
        Assert.Equal((long)records, Scalar(connection, "SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'reyes';"));
        log.WriteLine($"{kills} of 6 imports killed mid-file; {records} records stored once each");
    }

    [Fact]
    public async Task Killing_a_digest_mid_render_never_leaves_a_half_written_file()
    {
        using var dir = new TestDirectory();
        var output = dir.File("digests");
        using (var demo = ChildProgram.Start("demo", "--out", dir.File("demo")))
            Assert.Equal(0, await demo.WaitAsync(TimeSpan.FromSeconds(120)));
        var database = dir.File("demo/demo.db");
        var sampleConfig = Path.Combine(Path.GetDirectoryName(ChildProgram.ProgramPath())!, "samples", "demo.config.json");

        for (var trial = 0; trial < 6; trial++)
        {
            using var child = ChildProgram.Start("digest", "--config", sampleConfig, $"--Tracker:Database={database}", "--date", "2026-05-13", "--out", output, "--mkdir");
            await Task.Delay(Random.Shared.Next(200, 1500));
            if (!child.HasExited) child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(60));
            foreach (var file in Directory.Exists(output) ? Directory.GetFiles(output) : [])
            {
                var name = Path.GetFileName(file);
                Assert.True(name.StartsWith("digest-2026-05-13.") || name.StartsWith("."), $"unexpected file {name}");
                if (name == "digest-2026-05-13.html") Assert.EndsWith("</html>", File.ReadAllText(file).TrimEnd());
            }
        }
    }
}
