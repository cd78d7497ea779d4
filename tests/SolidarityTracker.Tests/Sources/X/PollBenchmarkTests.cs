using System.Net;
using System.Text.Json;
using System.Xml;
using SolidarityTracker.Bench;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.X;

/// <summary>`bench poll` at a small scale: it runs the real cycle and prints its figures; no timing is asserted.</summary>
public sealed class PollBenchmarkTests
{
    [Fact]
    public async Task Bench_poll_prints_both_cycles_with_one_request_per_idle_x_account_beside_the_raw_limit()
    {
        var result = await CliRunner.RunAsync("bench", "poll", "--accounts", "12", "--platforms", "x");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.Trim()).ToList();
        // cycle, polled, wall s, requests, req/acct, posts ...
        var cycle1 = lines.First(l => l.StartsWith("1 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var cycle2 = lines.First(l => l.StartsWith("2 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(("12", "24", "240"), (cycle1[1], cycle1[3], cycle1[5]));
        Assert.Equal(("12", "12", "1.00", "0"), (cycle2[1], cycle2[3], cycle2[4], cycle2[5]));
        Assert.Contains(lines, l => l.StartsWith("raw limit of cycle 1: 24 bare GETs", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("peak working set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_poll_rejects_an_unknown_platform()
    {
        var result = await CliRunner.RunAsync("bench", "poll", "--platforms", "myspace");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--platforms: unknown platform 'myspace'", result.Error);
    }

    [Fact]
    public async Task Bench_server_answers_every_platform_in_its_real_shape_and_nothing_new_the_second_time()
    {
        await using var server = await PollBenchServer.StartAsync(TimeSpan.Zero, DateTimeOffset.UtcNow);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        async Task<JsonElement> Get(string path) => JsonDocument.Parse(await http.GetStringAsync(path)).RootElement;

        var user = await Get("/2/users/by/username/benchx7?user.fields=name,profile_image_url");
        var id = user.GetProperty("data").GetProperty("id").GetString();
        var tweets = await Get($"/2/users/{id}/tweets?max_results=100");
        Assert.Equal(20, tweets.GetProperty("data").GetArrayLength());
        var newest = tweets.GetProperty("meta").GetProperty("newest_id").GetString();
        Assert.Equal(0, (await Get($"/2/users/{id}/tweets?since_id={newest}")).GetProperty("meta").GetProperty("result_count").GetInt32());

        var account = await Get("/api/v1/accounts/lookup?acct=agency7@bench.example");
        var statusesResponse = await http.GetAsync($"/api/v1/accounts/{account.GetProperty("id").GetString()}/statuses?limit=40");
        Assert.Contains("rel=\"next\"", statusesResponse.Headers.GetValues("Link").Single());
        var statuses = JsonDocument.Parse(await statusesResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(20, statuses.GetArrayLength());
        var newestStatus = statuses[0].GetProperty("id").GetString();
        Assert.Equal(0, (await Get($"/api/v1/accounts/{account.GetProperty("id").GetString()}/statuses?since_id={newestStatus}")).GetArrayLength());
        Assert.Equal(0, (await Get($"/api/v1/accounts/{account.GetProperty("id").GetString()}/statuses?min_id={newestStatus}")).GetArrayLength());

        var profile = await Get("/xrpc/app.bsky.actor.getProfile?actor=agency7.bsky.social");
        Assert.StartsWith("did:plc:", profile.GetProperty("did").GetString());
        var feed = await Get("/xrpc/app.bsky.feed.getAuthorFeed?actor=agency7.bsky.social&limit=50");
        Assert.Equal(20, feed.GetProperty("feed").GetArrayLength());
        Assert.Equal("app.bsky.feed.post", feed.GetProperty("feed")[0].GetProperty("post").GetProperty("record").GetProperty("$type").GetString());

        var rss = await http.GetAsync(server.RssUrl(7));
        var xml = new XmlDocument();
        xml.LoadXml(await rss.Content.ReadAsStringAsync());
        Assert.Equal(20, xml.SelectNodes("/rss/channel/item")!.Count);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, server.RssUrl(7));
        conditional.Headers.TryAddWithoutValidation("If-None-Match", rss.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(conditional)).StatusCode);
        Assert.Equal((3L, 4L, 2L, 2L), (server.XRequests, server.MastodonRequests, server.BlueskyRequests, server.RssRequests));
    }
}
