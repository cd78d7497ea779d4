using System.Text.Json;
using SolidarityTracker.Sources.Mastodon;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.Mastodon;

/// <summary>The Mastodon source through the real command line, against a loopback instance, into a real SQLite file.</summary>
public sealed class MastodonSourceTests
{
    private const string Handle = "dallaspd@police.example";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static string WriteConfig(TestDirectory dir, MastodonServer server, object[]? accounts = null, string profileInterval = "01:00:00", string requestTimeout = "00:00:10") =>
        Config.Write(dir,
            agencies: new object[]
            {
                new { Id = "dallas", Name = "Dallas Police Department", State = "TX", Accounts = accounts ?? [new { Platform = "mastodon", Handle }] },
            },
            sources: new { Mastodon = new { BaseUrl = server.BaseUrl } },
            polling: new { BackfillDays = 3, RequestTimeout = requestTimeout, ProfileInterval = profileInterval });

    private static List<RecordedRequest> Timeline(MastodonServer server) => server.Requests.Where(r => r.Path.EndsWith("/statuses")).ToList();

    private static string Query(RecordedRequest request, string name) =>
        System.Web.HttpUtility.ParseQueryString(request.PathAndQuery.Split('?').ElementAtOrDefault(1) ?? "")[name] ?? "";

    /// <summary>95 statuses inside the back-fill window (one every half hour) and 10 older than it.</summary>
    private static List<string> AddHistory(MastodonServer server, string username = "dallaspd")
    {
        var ids = new List<string>();
        for (var i = 10; i > 0; i--) server.Post(username, $"<p>Old notice {i}</p>", Now.AddDays(-4).AddMinutes(-i));
        for (var i = 95; i > 0; i--) ids.Add((string)server.Post(username, $"<p>Notice {i}</p>", Now.AddHours(-1).AddMinutes(-30 * i))["id"]!);
        return ids;
    }

    [Fact]
    public async Task The_first_poll_pages_back_to_the_backfill_horizon_and_stores_each_post_once()
    {
        await using var server = await MastodonServer.StartAsync();
        var accountId = server.AddAccount("dallaspd", "Dallas Police Department");
        var ids = AddHistory(server);
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server));

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        Assert.Equal(95, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE platform = 'mastodon'"));
        Assert.Equal(95, StoredRows.Scalar(db, "SELECT COUNT(DISTINCT post_id) FROM posts"));
        Assert.Equal(0, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE text LIKE 'Old notice%'"));
        Assert.Equal(1, server.Count(r => r.Path == "/api/v1/accounts/lookup"));
        Assert.Contains(server.Requests, r => r.PathAndQuery == "/api/v1/accounts/lookup?acct=dallaspd%40police.example");
        var timeline = Timeline(server);
        Assert.Equal(3, timeline.Count);
        Assert.Equal("", Query(timeline[0], "max_id"));
        Assert.All(timeline, r => Assert.Equal("40", Query(r, "limit")));
        Assert.Equal(ids[^40], Query(timeline[1], "max_id")); // the oldest of the first page, from Link rel="next"
        var account = StoredRows.Account(db, Handle);
        Assert.Equal(accountId, account["external_id"]);
        Assert.Equal($$"""{"min_id":"{{ids[^1]}}"}""", account["cursor"]);
        var profile = StoredRows.Query(db, "SELECT display_name, avatar_url FROM profile_snapshots").Single();
        Assert.Equal("Dallas Police Department", profile["display_name"]);
    }

    [Fact]
    public async Task A_second_poll_asks_with_min_id_costs_one_request_when_idle_and_pages_toward_newer()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        var ids = AddHistory(server);
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        var before = server.Requests.Count;

        var idle = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(idle.ExitCode == 0, idle.ToString());
        var asked = server.Requests.Skip(before).ToList();
        var only = Assert.Single(asked);
        Assert.Equal(ids[^1], Query(only, "min_id"));

        var fresh = Enumerable.Range(1, 45).Select(i => (string)server.Post("dallaspd", $"<p>New {i}</p>", Now.AddMinutes(-50 + i))["id"]!).ToList();
        before = server.Requests.Count;
        var busy = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(busy.ExitCode == 0, busy.ToString());
        asked = server.Requests.Skip(before).ToList();
        Assert.Equal(2, asked.Count);
        Assert.Equal(ids[^1], Query(asked[0], "min_id"));
        Assert.Equal(fresh[39], Query(asked[1], "min_id")); // the newest of the oldest-new page, from Link rel="prev"
        var db = dir.File("tracker.db");
        Assert.Equal(140, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal($$"""{"min_id":"{{fresh[^1]}}"}""", StoredRows.Account(db, Handle)["cursor"]);
    }

    [Fact]
    public async Task Poll_resumes_a_broken_backfill_from_the_stored_cursor_after_a_restart()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        var ids = AddHistory(server);
        var timelineRequests = 0;
        server.Fault("dallaspd", async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/statuses") || Interlocked.Increment(ref timelineRequests) != 3) return false;
            return await MastodonServer.Always(503, "<html><body>503 Service Unavailable</body></html>", "text/html")(context);
        });
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);

        var broken = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, broken.ExitCode);
        var db = dir.File("tracker.db");
        Assert.Equal(80, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        var account = StoredRows.Account(db, Handle);
        Assert.Equal("transient", account["last_error_kind"]);
        Assert.Contains("503", (string)account["last_error"]!);
        using (var cursor = JsonDocument.Parse((string)account["cursor"]!))
        {
            Assert.Equal(ids[^1], cursor.RootElement.GetProperty("backfill_newest").GetString());
            Assert.Equal(ids[^80], cursor.RootElement.GetProperty("max_id").GetString());
        }

        server.Fault("dallaspd", null);
        var before = server.Requests.Count;
        var resumed = await CliRunner.RunAsync("poll", "--config", config, "--account", "dallas");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var asked = server.Requests.Skip(before).ToList();
        Assert.DoesNotContain(asked, r => r.Path == "/api/v1/accounts/lookup");
        Assert.Equal(ids[^80], Query(asked[0], "max_id"));
        Assert.Equal(95, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(95, StoredRows.Scalar(db, "SELECT COUNT(DISTINCT post_id) FROM posts"));
        account = StoredRows.Account(db, Handle);
        Assert.Equal($$"""{"min_id":"{{ids[^1]}}"}""", account["cursor"]);
        Assert.Null(account["last_error_kind"]);
    }

    [Fact]
    public async Task An_unknown_account_is_recorded_as_not_found_on_its_row_while_the_other_stores_posts()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        server.AddSamples("dallaspd", Now.AddHours(-2));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, [new { Platform = "mastodon", Handle }, new { Platform = "mastodon", Handle = "ghost@police.example" }]);

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ghost@police.example: not_found", result.Output);
        var db = dir.File("tracker.db");
        var ghost = StoredRows.Account(db, "ghost@police.example");
        Assert.Equal("not_found", ghost["last_error_kind"]);
        Assert.Contains("HTTP 404 (Record not found)", (string)ghost["last_error"]!);
        Assert.Null(ghost["cursor"]);
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE account = $a", ("$a", Handle)));
    }

    [Fact]
    public async Task A_429_pauses_the_account_until_X_RateLimit_Reset_and_it_recovers_afterwards()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        server.AddSamples("dallaspd", Now.AddHours(-2));
        var reset = DateTimeOffset.UtcNow.AddMinutes(30);
        server.RateLimitRemaining = 0;
        server.RateLimitReset = reset;
        server.Fault("dallaspd", MastodonServer.Always(429, """{"error":"Too many requests"}"""));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server);

        var limited = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, limited.ExitCode);
        var db = dir.File("tracker.db");
        var account = StoredRows.Account(db, Handle);
        Assert.Equal("rate_limited", account["last_error_kind"]);
        Assert.Contains("Too many requests", (string)account["last_error"]!);
        var nextAttempt = DateTimeOffset.Parse((string)account["next_attempt_at"]!);
        Assert.InRange(nextAttempt, reset.AddSeconds(-1), reset.AddSeconds(1));

        var before = server.Requests.Count;
        var waiting = await CliRunner.RunAsync("poll", "--config", config);
        Assert.Equal(0, waiting.ExitCode);
        Assert.Equal(before, server.Requests.Count); // not due before the reset: nothing asked

        server.Fault("dallaspd", null);
        server.RateLimitRemaining = 299;
        server.RateLimitReset = null;
        StoredRows.Execute(db, "UPDATE accounts SET next_attempt_at = '2000-01-01T00:00:00.000Z'"); // the reset has passed
        var recovered = await CliRunner.RunAsync("poll", "--config", config, "--account", "dallas");

        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        account = StoredRows.Account(db, Handle);
        Assert.Null(account["last_error_kind"]);
        Assert.Equal(0L, account["consecutive_failures"]);
    }

    [Fact]
    public async Task A_spent_budget_stops_before_the_next_request_and_keeps_the_pages_already_read()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        AddHistory(server);
        var reset = DateTimeOffset.UtcNow.AddMinutes(4);
        server.RateLimitReset = reset;
        server.Fault("dallaspd", context =>
        {
            // The lookup spends the last request of the window; its answer is still good.
            if (context.Request.Path.Value == "/api/v1/accounts/lookup") context.Response.Headers["X-RateLimit-Remaining"] = "0";
            return Task.FromResult(false);
        });
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server));

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(Timeline(server));
        var account = StoredRows.Account(dir.File("tracker.db"), Handle);
        Assert.Equal("rate_limited", account["last_error_kind"]);
        Assert.NotNull(account["external_id"]);
        Assert.InRange(DateTimeOffset.Parse((string)account["next_attempt_at"]!), reset.AddSeconds(-1), reset.AddSeconds(1));
    }

    [Fact]
    public async Task A_server_error_a_timeout_and_malformed_JSON_each_stay_with_their_own_account()
    {
        await using var server = await MastodonServer.StartAsync();
        foreach (var name in new[] { "dallaspd", "broken", "slow", "garbled", "empty" })
        {
            server.AddAccount(name);
            server.AddSamples(name, Now.AddHours(-2));
        }
        server.Fault("broken", MastodonServer.Always(500, """{"error":"We're sorry, but something went wrong on our end."}"""));
        server.Fault("slow", async context => { await Task.Delay(TimeSpan.FromSeconds(6), context.RequestAborted); return true; });
        server.Fault("garbled", context => context.Request.Path.Value!.EndsWith("/statuses")
            ? MastodonServer.Always(200, """[{"id":"1","created_at":""")(context)
            : Task.FromResult(false));
        server.Fault("empty", MastodonServer.Always(200, ""));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server,
            [new { Platform = "mastodon", Handle }, .. new[] { "broken", "slow", "garbled", "empty" }.Select(n => new { Platform = "mastodon", Handle = $"{n}@police.example" })], requestTimeout: "00:00:02");

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, result.ExitCode);
        var db = dir.File("tracker.db");
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE account = $a", ("$a", Handle)));
        Assert.Equal("transient", StoredRows.Account(db, "broken@police.example")["last_error_kind"]);
        Assert.Contains("HTTP 500", (string)StoredRows.Account(db, "broken@police.example")["last_error"]!);
        Assert.Equal("transient", StoredRows.Account(db, "slow@police.example")["last_error_kind"]);
        Assert.StartsWith("no answer within Polling:RequestTimeout", (string)StoredRows.Account(db, "slow@police.example")["last_error"]!);
        Assert.Equal("malformed", StoredRows.Account(db, "garbled@police.example")["last_error_kind"]);
        Assert.Equal("malformed", StoredRows.Account(db, "empty@police.example")["last_error_kind"]);
        Assert.Null(StoredRows.Account(db, Handle)["last_error_kind"]);
    }

    [Fact]
    public async Task A_reblog_is_a_repost_with_the_full_text_and_HTML_becomes_text_with_links_kept()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        var samples = server.AddSamples("dallaspd", Now.AddHours(-2));
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("poll", "--config", WriteConfig(dir, server));

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = StoredRows.Query(dir.File("tracker.db"), "SELECT * FROM posts ORDER BY created_at").ToDictionary(r => (string)r["post_id"]!);
        var statement = rows[(string)samples[0]["id"]!];
        Assert.Equal(
            "Our hearts are broken. Four of our officers and one #DART officer were killed tonight. Details: https://dallaspolice.example/news/2016/07/07/statement-from-chief-brown\n\n"
            + "Thank you @DARTPolice & everyone who stood with us \u2014 we won't forget.\nPlease keep the families in your prayers.",
            statement["text"]);
        Assert.DoesNotContain("<", (string)statement["text"]!);
        Assert.Equal($"{MastodonServer.PublicUrl}/@dallaspd/{samples[0]["id"]}", statement["url"]);
        Assert.Equal("en", statement["lang"]);
        Assert.Equal(0L, statement["is_repost"]);
        using (var raw = JsonDocument.Parse((string)statement["raw_json"]!))
            Assert.StartsWith("<p>Our hearts are broken.", raw.RootElement.GetProperty("content").GetString());

        var reblog = rows[(string)samples[1]["id"]!];
        Assert.Equal(1L, reblog["is_repost"]);
        Assert.Equal("The men and women of the Houston Police Department stand with our brothers and sisters in blue in Dallas. We are praying for the fallen officers and their families.", reblog["text"]);
        Assert.Equal("https://blue.example/@houstonpd/109384000000000777", reblog["url"]);
        Assert.Equal("en", reblog["lang"]);

        var reply = rows[(string)samples[2]["id"]!];
        Assert.Equal(1L, reply["is_reply"]);
        Assert.Equal("@resident Thank you. The memorial at headquarters is open to the public <all day>.", reply["text"]);
    }

    [Fact]
    public async Task An_edit_replaces_the_text_and_keeps_the_previous_one_in_post_versions()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        var status = server.Post("dallaspd", "<p>Funeral procession for Officer Smith on Tuesday.</p>", Now.AddHours(-3));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        var editedAt = Now.AddHours(-1);
        server.Edit("dallaspd", (string)status["id"]!, "<p>Funeral procession for Officer Smith on Wednesday, 10 a.m.</p>", editedAt);

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        var post = StoredRows.Query(db, "SELECT * FROM posts").Single();
        Assert.Equal("Funeral procession for Officer Smith on Wednesday, 10 a.m.", post["text"]);
        Assert.StartsWith(editedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss"), (string)post["edited_at"]!);
        var version = StoredRows.Query(db, "SELECT * FROM post_versions").Single();
        Assert.Equal("Funeral procession for Officer Smith on Tuesday.", version["text"]);
        Assert.Equal(post["id"], version["post_id"]);
    }

    [Fact]
    public async Task The_newest_page_read_when_the_profile_is_due_stores_nothing_from_behind_the_backfill_horizon()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        server.Post("dallaspd", "<p>A notice from long ago.</p>", Now.AddDays(-30));
        server.Post("dallaspd", "<p>Procession at 10 a.m.</p>", Now.AddHours(-2));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        var db = dir.File("tracker.db");
        var afterFirst = StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts");

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, afterFirst);
        Assert.Equal(1, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(0, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE text LIKE '%long ago%'"));
    }

    [Fact]
    public async Task A_status_just_below_the_newest_page_with_the_same_time_as_its_oldest_is_not_taken_for_deleted()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        var edge = Now.AddHours(-5);
        // 41 statuses: the oldest two share a time, and only the newer of them fits on the newest page of 40.
        server.Post("dallaspd", "<p>Notice 0</p>", edge);
        for (var i = 1; i <= MastodonSource.PageSize; i++) server.Post("dallaspd", $"<p>Notice {i}</p>", i == 1 ? edge : edge.AddMinutes(i));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        Assert.Equal(MastodonSource.PageSize + 1, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(0, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_status_deleted_on_the_instance_is_marked_deleted_kept_in_storage_and_left_out_of_exports()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd");
        var kept = server.Post("dallaspd", "<p>Our prayers are with Millbrook.</p>", Now.AddHours(-3));
        var removed = server.Post("dallaspd", "<p>Procession at 10 a.m.; avoid Main St.</p>", Now.AddHours(-2));
        var old = server.Post("dallaspd", "<p>Older notice.</p>", Now.AddDays(-2));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        server.Delete("dallaspd", (string)removed["id"]!);

        var result = await CliRunner.RunAsync("poll", "--config", config);
        var export = await CliRunner.RunAsync("export", "--config", config, "--format", "jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        var db = dir.File("tracker.db");
        Assert.Equal(3, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts"));
        Assert.NotNull(StoredRows.Query(db, "SELECT deleted_at FROM posts WHERE post_id = $id", ("$id", (string)removed["id"]!)).Single()["deleted_at"]);
        Assert.Equal(2, StoredRows.Scalar(db, "SELECT COUNT(*) FROM posts WHERE deleted_at IS NULL"));
        Assert.Contains((string)kept["id"]!, export.Output);
        Assert.Contains((string)old["id"]!, export.Output);
        Assert.DoesNotContain((string)removed["id"]!, export.Output);
    }

    [Fact]
    public async Task A_new_avatar_seen_on_the_timeline_is_recorded_as_a_second_profile_snapshot()
    {
        await using var server = await MastodonServer.StartAsync();
        server.AddAccount("dallaspd", "Dallas Police Department", "https://files.police.example/avatars/badge.png");
        server.AddSamples("dallaspd", Now.AddHours(-2));
        using var dir = new TestDirectory();
        var config = WriteConfig(dir, server, profileInterval: "00:00:00");
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        server.SetAvatar("dallaspd", "https://files.police.example/avatars/badge-mourning-band.png");
        var before = server.Requests.Count;

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(server.Requests.Skip(before)); // the newest page carries the account: no extra profile request
        var snapshots = StoredRows.Query(dir.File("tracker.db"), "SELECT avatar_url FROM profile_snapshots ORDER BY id");
        Assert.Equal(
            ["https://files.police.example/avatars/badge.png", "https://files.police.example/avatars/badge-mourning-band.png"],
            snapshots.Select(s => (string)s["avatar_url"]!).ToArray());
    }
}
