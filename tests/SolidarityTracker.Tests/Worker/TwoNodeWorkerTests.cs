using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Npgsql;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Worker;

/// <summary>
/// Two real worker processes (`run`, started as child programs) on one database of the throwaway PostgreSQL cluster,
/// polling loopback RSS feeds: the accounts are shared through leases, and a node SIGKILLed mid-poll is taken over.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoNodeWorkerTests(PostgresFixture postgres, Xunit.Abstractions.ITestOutputHelper log)
{
    private const int Feeds = 16;
    private const int ItemsPerFeed = 3;

    /// <summary>The feeds: each request is noted with its time; while <see cref="Hang"/> is set, answers wait (until the asker goes away).</summary>
    private sealed class CountingFeeds : IAsyncDisposable
    {
        public ConcurrentQueue<(int Feed, DateTime At, bool Hung)> Requests { get; } = new();
        public volatile bool Hang;
        public LoopbackServer Server { get; private init; } = null!;

        public static async Task<CountingFeeds> StartAsync()
        {
            CountingFeeds feeds = null!;
            var server = await LoopbackServer.StartAsync(async context =>
            {
                var feed = int.Parse(context.Request.Path.Value!.Split('/')[^1].Replace(".xml", ""));
                var hung = feeds.Hang;
                feeds.Requests.Enqueue((feed, DateTime.UtcNow, hung));
                if (hung) await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
                await Task.Delay(Random.Shared.Next(50, 200));
                var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Feed {feed}</title><link>https://agency{feed}.example/</link><description>news</description>");
                for (var i = 1; i <= ItemsPerFeed; i++)
                    xml.Append($"<item><title>Update {i}</title><link>https://agency{feed}.example/news/{i}</link><guid>https://agency{feed}.example/news/{i}</guid>")
                       .Append($"<pubDate>{DateTimeOffset.UtcNow.AddHours(-1).AddMinutes(i):r}</pubDate><description>Road closures downtown, item {i}</description></item>");
                xml.Append("</channel></rss>");
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(xml.ToString());
            });
            feeds = new CountingFeeds { Server = server };
            return feeds;
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private async Task<(string Config, string[] Store, string Database)> SetUpAsync(TestDirectory dir, CountingFeeds feeds, string leaseTimeout)
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var agencies = Enumerable.Range(1, Feeds).Select(i => new
        {
            Id = $"agency-{i}", Name = $"Agency {i}", State = "OH",
            Accounts = new[] { new { Platform = "rss", Url = $"{feeds.Server.BaseUrl}/feeds/{i}.xml" } },
        }).ToArray();
        // The schema is made before the nodes start, as `check` makes it on a deployment (the nodes then find it current).
        await new SolidarityTracker.Storage.Postgres.PostgresDatabase(database).MigrateAsync();
        var config = Config.Write(dir, agencies: agencies, polling: new { MaxConcurrency = 4, BackfillDays = 2, Cron = "0/1 * * * * ?", LeaseTimeout = leaseTimeout });
        return (config, PostgresServer.Switches(database), database);
    }

    private static async Task<(long Rows, long Distinct)> StoredPostsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT (platform, post_id)) FROM posts;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan timeout, Func<string> why)
    {
        var until = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException(why());
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Two_worker_processes_share_the_accounts_polling_each_once_and_storing_each_post_once()
    {
        using var dir = new TestDirectory();
        await using var feeds = await CountingFeeds.StartAsync();
        var (config, store, database) = await SetUpAsync(dir, feeds, "00:05:00");

        using var a = ChildProgram.Start(["run", "--config", config, .. store]);
        using var b = ChildProgram.Start(["run", "--config", config, .. store]);
        await WaitForAsync(() => feeds.Requests.Select(r => r.Feed).Distinct().Count() == Feeds, TimeSpan.FromSeconds(90),
            () => $"feeds asked: {feeds.Requests.Count}\n--- a\n{a.Output}\n--- b\n{b.Output}");
        // Several more ticks of both nodes: every account was just checked, so none is polled again.
        await Task.Delay(TimeSpan.FromSeconds(4));
        a.Terminate();
        b.Terminate();
        await Task.WhenAll(a.WaitAsync(TimeSpan.FromSeconds(30)), b.WaitAsync(TimeSpan.FromSeconds(30)));

        var perFeed = feeds.Requests.GroupBy(r => r.Feed).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perFeed.Values.All(n => n == 1), "requests per feed: " + string.Join(", ", perFeed.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}")) + $"\n--- a\n{a.Output}\n--- b\n{b.Output}");
        Assert.Equal(((long)Feeds * ItemsPerFeed, (long)Feeds * ItemsPerFeed), await StoredPostsAsync(database));
        Assert.DoesNotContain("rror", a.Output + b.Output);
    }

    [Fact]
    public async Task A_worker_killed_while_polling_has_its_accounts_taken_over_by_the_other_once_their_leases_lapse()
    {
        using var dir = new TestDirectory();
        await using var feeds = await CountingFeeds.StartAsync();
        var lease = TimeSpan.FromSeconds(5);
        var (config, store, database) = await SetUpAsync(dir, feeds, "00:00:05");

        // Node a takes four accounts (its MaxConcurrency) and hangs on their feeds; then it is SIGKILLed.
        feeds.Hang = true;
        using (var a = ChildProgram.Start(["run", "--config", config, .. store]))
        {
            await WaitForAsync(() => feeds.Requests.Count >= 4, TimeSpan.FromSeconds(60), () => a.Output);
            await Task.Delay(200);
            a.Kill();
            await a.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var held = feeds.Requests.Where(r => r.Hung).ToList();
        feeds.Hang = false;

        using var b = ChildProgram.Start(["run", "--config", config, .. store]);
        await WaitForAsync(() => feeds.Requests.Where(r => !r.Hung).Select(r => r.Feed).Distinct().Count() == Feeds, TimeSpan.FromSeconds(90),
            () => $"feeds answered: {feeds.Requests.Count(r => !r.Hung)}\n--- b\n{b.Output}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        b.Terminate();
        await b.WaitAsync(TimeSpan.FromSeconds(30));

        var byB = feeds.Requests.Where(r => !r.Hung).ToList();
        Assert.Equal(4, held.Count);
        foreach (var (feed, at, _) in held)
        {
            // Node b leaves a's accounts alone while their leases last (taken just before a asked), then takes them over.
            var first = byB.Where(r => r.Feed == feed).Min(r => r.At);
            Assert.True(first >= at + lease - TimeSpan.FromSeconds(1), $"feed {feed}: a asked at {at:HH:mm:ss.fff}, b at {first:HH:mm:ss.fff}");
        }
        var others = byB.Where(r => held.All(h => h.Feed != r.Feed)).ToList();
        Assert.True(others.Min(r => r.At) < held.Min(h => h.At) + lease, "node b polled the free accounts at once");
        Assert.All(byB.GroupBy(r => r.Feed), g => Assert.Single(g));
        Assert.Equal(((long)Feeds * ItemsPerFeed, (long)Feeds * ItemsPerFeed), await StoredPostsAsync(database));
        log.WriteLine($"a held feeds {string.Join(",", held.Select(h => h.Feed))}; b took them over after the {lease.TotalSeconds:0} s lease");
    }
}
