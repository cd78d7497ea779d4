using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.Bluesky;

/// <summary>The Bluesky source through the real command line, against a loopback AppView, into a real SQLite file.</summary>
public sealed class BlueskySourceTests
{
    private const string Handle = "batonrougepd.bsky.social";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static string WriteConfig(TestDirectory dir, BlueskyServer server, string[]? handles = null, string profileInterval = "01:00:00", string requestTimeout = "00:00:10") =>
        Config.Write(dir,
            agencies: new object[]
            {
                new { Id = "batonrouge", Name = "Baton Rouge Police Department", State = "LA", Accounts = (handles ?? [Handle]).Select(h => new { Platform = "bluesky", Handle = h }).ToArray() },
            },
            sources: new { Bluesky = new { BaseUrl = server.BaseUrl } },
            polling: new { BackfillDays = 3, RequestTimeout = requestTimeout, ProfileInterval = profileInterval });

    private static List<RecordedRequest> Feed(IEnumerable<RecordedRequest> requests) => requests.Where(r => r.Path == "/xrpc/app.bsky.feed.getAuthorFeed").ToList();

    private static string Query(RecordedRequest request, string name) =>
        System.Web.HttpUtility.ParseQueryString(request.PathAndQuery.Split('?').ElementAtOrDefault(1) ?? "")[name] ?? "";

    private static string Uri(JsonObject item) => (string)item["post"]!["uri"]!;

    /// <summary>120 posts inside the back-fill window (one every 20 minutes) and 5 older than it; returns the uris newest first.</summary>
    private static List<string> AddHistory(BlueskyServer server, string handle = Handle)
    {
        for (var i = 5; i > 0; i--) server.Post(handle, $"Old notice {i}", Now.AddDays(-4).AddMinutes(-i));
        var uris = new List<string>();
        for (var i = 120; i > 0; i--) uris.Add(Uri(server.Post(handle, $"Notice {i}", Now.AddHours(-1).AddMinutes(-20 * i))));
        uris.Reverse();
        return uris;
    }

    private static BlueskyMarkView Newest(string db)
    {
        using var cursor = JsonDocument.Parse((string)StoredRows.Account(db, Handle)["cursor"]!);
        var root = cursor.RootElement;
        return new BlueskyMarkView(
            root.TryGetProperty("newest", out var n) ? n.GetProperty("key").GetString() : null,
            root.TryGetProperty("pending_newest", out var p) ? p.GetProperty("key").GetString() : null,
            root.TryGetProperty("resume", out var r) ? r.GetString() : null);
    }

    private sealed record BlueskyMarkView(string? Newest, string? Pending, string? Resume);

    [Fact]
    public async Task The_first_poll_resolves_the_DID_and_pages_to_the_backfill_horizon_storing_each_post_once()
    {
        await using var server = await BlueskyServer.StartAsync();
        var did = server.AddActor(Handle, displayName: "Baton Rouge Police");
        var uris = AddHistory(server);
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server));

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        Assert.Equal(120, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE platform = 'bluesky'"));
        Assert.Equal(120, StoredRows.Scalar(db, "SELECT COUNT(DISTINCT post_id) FROM posts"));
        Assert.Equal(0, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE text LIKE 'Old notice%'"));
        Assert.Single(server.Requests, r => r.PathAndQuery == $"/xrpc/app.bsky.actor.getProfiles?actors={Handle}");
        Assert.DoesNotContain(server.Requests, r => r.Path == "/xrpc/app.bsky.actor.getProfile");
        var feed = Feed(server.Requests);
        Assert.Equal(3, feed.Count);
        Assert.All(feed, r => Assert.Equal(did, Query(r, "actor")));
        Assert.All(feed, r => Assert.Equal("50", Query(r, "limit")));
        Assert.Equal("", Query(feed[0], "cursor"));
        Assert.NotEqual("", Query(feed[1], "cursor"));
        var account = StoredRows.Account(db, Handle);
        Assert.Equal(did, account["external_id"]);
        Assert.Equal(new BlueskyMarkView(uris[0], null, null), Newest(db));
        var profile = StoredRows.Query(db, "SELECT display_name, avatar_url FROM profile_snapshots").Single();
        Assert.Equal("Baton Rouge Police", profile["display_name"]);
        Assert.StartsWith("https://cdn.bsky.app/img/avatar/plain/" + did, (string)profile["avatar_url"]!);
    }

    [Fact]
    public async Task A_second_poll_stops_at_the_known_post_one_request_when_idle_two_for_sixty_new_posts()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        AddHistory(server);
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        var before = server.Requests.Count;

        var idle = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(idle.ExitCode == 0, idle.ToString());
        var only = Assert.Single(server.Requests.Skip(before));
        Assert.Equal("/xrpc/app.bsky.feed.getAuthorFeed", only.Path);
        Assert.Equal("", Query(only, "cursor"));

        var fresh = Enumerable.Range(1, 60).Select(i => Uri(server.Post(Handle, $"New {i}", Now.AddMinutes(-61 + i)))).ToList();
        before = server.Requests.Count;
        var busy = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(busy.ExitCode == 0, busy.ToString());
        var asked = server.Requests.Skip(before).ToList();
        Assert.Equal(2, asked.Count);
        Assert.Equal("", Query(asked[0], "cursor"));
        Assert.NotEqual("", Query(asked[1], "cursor"));
        var db = dir.File("tracker.db");
        Assert.Equal(180, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(new BlueskyMarkView(fresh[^1], null, null), Newest(db));
    }

    [Fact]
    public async Task A_cycle_broken_half_way_resumes_from_its_feed_cursor_and_skips_nothing()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        var history = AddHistory(server);
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        var fresh = Enumerable.Range(1, 120).Select(i => Uri(server.Post(Handle, $"Wave {i}", Now.AddMinutes(-59).AddSeconds(i * 20)))).ToList();
        var feedRequests = 0;
        server.Fault(Handle, async context =>
        {
            if (Interlocked.Increment(ref feedRequests) != 2) return false;
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
            return true;
        });

        var broken = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, broken.ExitCode);
        var db = dir.File("tracker.db");
        Assert.Equal(170, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        var mark = Newest(db);
        Assert.Equal(history[0], mark.Newest); // the old mark stays until the walk down to it is stored
        Assert.Equal(fresh[^1], mark.Pending);
        Assert.NotNull(mark.Resume);
        Assert.Equal("transient", StoredRows.Account(db, Handle)["last_error_kind"]);

        server.Fault(Handle, null);
        var late = Uri(server.Post(Handle, "Posted while we were down", Now.AddMinutes(-1)));
        var before = server.Requests.Count;
        var resumed = await CliRunner.RunAsync("poll", "--config", config, "--account", "batonrouge");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var asked = Feed(server.Requests.Skip(before));
        Assert.Equal(mark.Resume, Query(asked[0], "cursor"));
        Assert.Equal(2, asked.Count); // 50 more, then the page that meets the old mark
        Assert.Equal(240, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(new BlueskyMarkView(fresh[^1], null, null), Newest(db));

        var after = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(241, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(240 + 1, StoredRows.Scalar(db, "SELECT COUNT(DISTINCT post_id) FROM posts"));
        Assert.Equal(new BlueskyMarkView(late, null, null), Newest(db));
    }

    [Fact]
    public async Task Thirty_new_accounts_are_resolved_in_getProfiles_calls_of_at_most_25_actors_not_one_call_each()
    {
        await using var server = await BlueskyServer.StartAsync();
        var handles = Enumerable.Range(1, 30).Select(i => $"agency{i:00}.bsky.social").ToArray();
        foreach (var handle in handles)
        {
            server.AddActor(handle);
            server.Post(handle, $"Notice from {handle}", Now.AddHours(-1));
        }
        using var dir = new TestDirectory();
        var config = Config.Write(dir,
            agencies: handles.Select(h => new { Id = h.Split('.')[0], Name = h, Accounts = new[] { new { Platform = "bluesky", Handle = h } } }).ToArray(),
            sources: new { Bluesky = new { BaseUrl = server.BaseUrl } },
            polling: new { BackfillDays = 3, MaxConcurrency = 32 });

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lookups = server.Requests.Where(r => r.Path == "/xrpc/app.bsky.actor.getProfiles").ToList();
        List<string> Actors(RecordedRequest r) =>
            [.. System.Web.HttpUtility.ParseQueryString(r.PathAndQuery.Split('?')[1]).GetValues("actors") ?? []];
        Assert.All(lookups, r => Assert.InRange(Actors(r).Count, 1, BlueskyMaxActors));
        Assert.Equal(handles, lookups.SelectMany(Actors).Order(StringComparer.Ordinal));
        // 25 and 5 when every poll starts inside the batch window; a slow start may split one more time.
        Assert.InRange(lookups.Count, 2, 4);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/xrpc/app.bsky.actor.getProfile");
        var db = dir.File("tracker.db");
        Assert.Equal(30, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE platform = 'bluesky'"));
        Assert.Equal(30, StoredRows.Scalar(db, "SELECT COUNT(*) FROM accounts WHERE external_id LIKE 'did:plc:%'"));
    }

    private const int BlueskyMaxActors = SolidarityTracker.Sources.Bluesky.BlueskySource.MaxActorsPerProfiles;

    [Fact]
    public async Task An_unknown_handle_is_recorded_as_not_found_on_its_row_while_the_other_stores_posts()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        server.AddSamples(Handle, Now.AddHours(-2));
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server, [Handle, "nobody.bsky.social"]));

        Assert.Equal(1, result.ExitCode);
        var db = dir.File("tracker.db");
        var ghost = StoredRows.Account(db, "nobody.bsky.social");
        Assert.Equal("not_found", ghost["last_error_kind"]);
        Assert.Contains("profile of nobody.bsky.social: Profile not found", (string)ghost["last_error"]!);
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE account = $a", ("$a", Handle)));
    }

    [Fact]
    public async Task A_429_pauses_the_account_until_RateLimit_Reset_and_it_recovers_afterwards()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        server.AddSamples(Handle, Now.AddHours(-2));
        var reset = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(20).ToUnixTimeSeconds());
        server.RateLimitRemaining = 0;
        server.RateLimitReset = reset;
        server.Fault(Handle, async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync("""{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}""");
            return true;
        });
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);

        var limited = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, limited.ExitCode);
        var db = dir.File("tracker.db");
        var account = StoredRows.Account(db, Handle);
        Assert.Equal("rate_limited", account["last_error_kind"]);
        Assert.Contains("RateLimitExceeded", (string)account["last_error"]!);
        Assert.Equal(reset, DateTimeOffset.Parse((string)account["next_attempt_at"]!));

        var before = server.Requests.Count;
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        Assert.Equal(before, server.Requests.Count);

        server.Fault(Handle, null);
        server.RateLimitRemaining = 2999;
        server.RateLimitReset = null;
        StoredRows.Execute(db, "UPDATE accounts SET next_attempt_at = '2000-01-01T00:00:00.000Z'"); // the reset has passed
        var recovered = await CliRunner.RunAsync("poll", "--config", config, "--account", "batonrouge");

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Null(StoredRows.Account(db, Handle)["last_error_kind"]);
    }

    [Fact]
    public async Task A_server_error_a_timeout_and_malformed_JSON_each_stay_with_their_own_account()
    {
        await using var server = await BlueskyServer.StartAsync();
        string[] handles = [Handle, "broken.bsky.social", "slow.bsky.social", "garbled.bsky.social"];
        foreach (var handle in handles)
        {
            server.AddActor(handle);
            server.AddSamples(handle, Now.AddHours(-2));
        }
        server.Fault("broken.bsky.social", async context =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("""{"error":"InternalServerError","message":"Internal Server Error"}""");
            return true;
        });
        server.Fault("slow.bsky.social", async context => { await Task.Delay(TimeSpan.FromSeconds(6), context.RequestAborted); return true; });
        server.Fault("garbled.bsky.social", async context =>
        {
            if (context.Request.Path.Value != "/xrpc/app.bsky.feed.getAuthorFeed") return false;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"feed":[{"post":{"uri":"at://did""");
            return true;
        });
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server, handles, requestTimeout: "00:00:02"));

        Assert.True(result.ExitCode == 1, result.ToString());
        var db = dir.File("tracker.db");
        Assert.True(3 == StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"), result.ToString());
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE account = $a", ("$a", Handle)));
        Assert.Equal("transient", StoredRows.Account(db, "broken.bsky.social")["last_error_kind"]);
        Assert.Equal("transient", StoredRows.Account(db, "slow.bsky.social")["last_error_kind"]);
        Assert.StartsWith("no answer within Polling:RequestTimeout", (string)StoredRows.Account(db, "slow.bsky.social")["last_error"]!);
        Assert.Equal("malformed", StoredRows.Account(db, "garbled.bsky.social")["last_error_kind"]);
        Assert.NotNull(StoredRows.Account(db, "garbled.bsky.social")["external_id"]); // resolved before the feed broke
        Assert.Null(StoredRows.Account(db, Handle)["last_error_kind"]);
    }

    [Fact]
    public async Task A_repost_takes_the_full_text_of_the_reposted_post_and_links_replies_and_times_come_out_right()
    {
        await using var server = await BlueskyServer.StartAsync();
        var did = server.AddActor(Handle);
        var samples = server.AddSamples(Handle, Now.AddHours(-2));
        var future = server.Post(Handle, "Clock skew", Now.AddHours(-3), item => item["post"]!["record"]!["createdAt"] = BlueskyServer.Iso(Now.AddDays(2)));
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server));

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = StoredRows.Query(dir.File("tracker.db"), "SELECT * FROM posts").ToDictionary(r => (string)r["post_id"]!);
        Assert.Equal(4, rows.Count);

        var statement = rows[Uri(samples[0])];
        Assert.Equal("Three of our officers were killed this morning. Statement from the Chief: https://batonrouge.example/news/2016/07/17/statement-from-the-chief 💙", statement["text"]);
        Assert.Equal("https://bsky.app/profile/batonrougepd.bsky.social/post/3kmrv1aaaaa2a", statement["url"]);
        Assert.Equal("en", statement["lang"]);
        Assert.Equal((string)samples[0]["post"]!["record"]!["createdAt"]!, ((string)statement["created_at"]!));
        using (var raw = JsonDocument.Parse((string)statement["raw_json"]!))
            Assert.Equal(Uri(samples[0]), raw.RootElement.GetProperty("post").GetProperty("uri").GetString());

        var repostKey = $"repost:{Uri(samples[1])}:{did}";
        var repost = rows[repostKey];
        Assert.Equal(1L, repost["is_repost"]);
        Assert.Equal("Houston stands with Baton Rouge. Our thoughts and prayers are with the fallen officers, their families and the men and women of BRPD.", repost["text"]);
        Assert.Equal("https://bsky.app/profile/houstonpolice.bsky.social/post/3kmrv2bbbbb2b", repost["url"]);
        Assert.Equal((string)samples[1]["reason"]!["indexedAt"]!, (string)repost["created_at"]!); // when the agency reposted it

        var reply = rows[Uri(samples[2])];
        Assert.Equal(1L, reply["is_reply"]);
        Assert.Equal(0L, reply["is_repost"]);

        var skewed = rows[Uri(future)];
        Assert.Equal((string)future["post"]!["indexedAt"]!, (string)skewed["created_at"]!); // a createdAt in the future falls back to indexedAt
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_pinned_old_post_on_top_of_the_feed_neither_stops_paging_nor_becomes_the_mark(bool markedAsPin)
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        var history = AddHistory(server);
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        server.Pin(Handle, history[^1], markedAsPin);
        var fresh = Enumerable.Range(1, 3).Select(i => Uri(server.Post(Handle, $"Vigil update {i}", Now.AddMinutes(-30 + i)))).ToList();
        var before = server.Requests.Count;

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(server.Requests.Skip(before));
        var db = dir.File("tracker.db");
        Assert.Equal(123, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(new BlueskyMarkView(fresh[^1], null, null), Newest(db));
    }

    [Fact]
    public async Task A_new_avatar_seen_in_the_feed_is_recorded_as_a_second_profile_snapshot()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        server.AddSamples(Handle, Now.AddHours(-2));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        server.SetAvatar(Handle, "https://cdn.bsky.app/img/avatar/plain/did:plc:x/bafkreimourningband@jpeg");
        var before = server.Requests.Count;

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(server.Requests.Skip(before), r => r.Path.StartsWith("/xrpc/app.bsky.actor.getProfile", StringComparison.Ordinal)); // the feed's author view carries it
        var snapshots = StoredRows.Query(dir.File("tracker.db"), "SELECT avatar_url FROM profile_snapshots ORDER BY id");
        Assert.Equal(2, snapshots.Count);
        Assert.Equal("https://cdn.bsky.app/img/avatar/plain/did:plc:x/bafkreimourningband@jpeg", snapshots[1]["avatar_url"]);
    }

    [Fact]
    public async Task A_post_gone_from_the_feed_is_marked_deleted_when_the_profile_is_due_kept_in_storage_and_left_out_of_exports()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        var old = server.Post(Handle, "Older notice.", Now.AddDays(-2));
        var kept = server.Post(Handle, "Our prayers are with Millbrook.", Now.AddHours(-3));
        var removed = server.Post(Handle, "Procession at 10 a.m.; avoid Main St.", Now.AddHours(-2));
        var newest = server.Post(Handle, "Thank you for the cards.", Now.AddHours(-1));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        server.Delete(Handle, removed);
        var before = server.Requests.Count;

        var result = await CliRunner.RunAsync("poll", "--config", config);
        var export = await CliRunner.RunAsync("export", "--config", config, "--format", "jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        Assert.Equal(4, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.NotNull(StoredRows.Query(db, "SELECT deleted_at FROM posts WHERE post_id = $id", ("$id", Uri(removed))).Single()["deleted_at"]);
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NULL"));
        Assert.Contains(Uri(kept), export.Output);
        Assert.Contains(Uri(old), export.Output);
        Assert.Contains(Uri(newest), export.Output);
        Assert.DoesNotContain(Uri(removed), export.Output);
        Assert.Single(Feed(server.Requests.Skip(before))); // the look costs no request of its own
    }

    [Fact]
    public async Task A_deletion_is_looked_for_only_when_the_profile_is_due_and_posts_below_the_first_page_are_never_taken_for_deleted()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        var uris = AddHistory(server); // 120 posts: the first page holds the newest 50
        using var dir = new TestDirectory();
        var hourly = WriteConfig(dir, server);
        var db = dir.File("tracker.db");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", hourly)).ExitCode);
        var gone = server.Post(Handle, "Posted, then deleted.", Now.AddMinutes(-30));
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", hourly)).ExitCode);
        server.Delete(Handle, gone);

        var notDue = await CliRunner.RunAsync("poll", "--config", hourly);
        var deletedWhenNotDue = StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NOT NULL");
        var due = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server, profileInterval: "00:00:00"));

        Assert.True(notDue.ExitCode == 0 && due.ExitCode == 0, notDue + "\n" + due);
        Assert.Equal(0, deletedWhenNotDue);
        var deleted = StoredRows.Query(db, "SELECT text FROM posts WHERE deleted_at IS NOT NULL");
        Assert.Equal("Posted, then deleted.", Assert.Single(deleted)["text"]);
        Assert.Equal(121, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(uris.Count, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NULL"));
    }

    [Fact]
    public async Task A_busy_account_polled_when_the_profile_is_due_lists_only_its_first_page_and_loses_none_of_its_new_posts()
    {
        await using var server = await BlueskyServer.StartAsync();
        server.AddActor(Handle);
        AddHistory(server);
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        // More new posts than one page holds: the walk goes on to a second page after the listed first one.
        for (var i = 60; i > 0; i--) server.Post(Handle, $"New notice {i}", Now.AddMinutes(-i / 2.0));

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        Assert.Equal(180, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(0, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NOT NULL"));
    }
}
