using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.X;

/// <summary>The X source through the real command line, against a loopback X API v2 and a real SQLite file.</summary>
public sealed class XSourceTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _dir = new();
    private XApiServer _x = null!;

    public async Task InitializeAsync() => _x = await XApiServer.StartAsync();
    public async Task DisposeAsync() => await _x.DisposeAsync();
    public void Dispose() => _dir.Dispose();

    private static object Agency(string id, params string[] handles) =>
        new { Id = id, Name = $"{id} police", State = "TX", Accounts = handles.Select(h => new { Platform = "x", Handle = h }).ToArray() };

    private string Configure(object[] agencies, object? polling = null) =>
        Config.Write(_dir, agencies, sources: new { X = new { BaseUrl = _x.BaseUrl } },
            polling: polling ?? new { BackfillDays = 3650, MaxConcurrency = 1, RequestTimeout = "00:00:02" });

    private static Task<CliResult> Poll(string config, params string[] more) =>
        CliRunner.RunAsync(["poll", "--config", config, $"--Sources:X:BearerToken={XApiServer.Token}", .. more]);

    private List<object?[]> Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.File("tracker.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private object? Scalar(string sql) => Rows(sql).FirstOrDefault()?[0];

    private (string? Kind, string? Error, string? NextAttempt) AccountRow(string handle)
    {
        var row = Rows($"SELECT last_error_kind, last_error, next_attempt_at FROM accounts WHERE handle = '{handle}'").Single();
        return ((string?)row[0], (string?)row[1], (string?)row[2]);
    }

    [Fact]
    public async Task Paging_stores_each_post_of_every_page_once_and_moves_since_id_to_the_newest()
    {
        _x.PageSize = 2;
        var user = _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")]);

        var result = await Poll(config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts WHERE platform = 'x'"));
        Assert.Equal(5L, Scalar("SELECT COUNT(DISTINCT post_id) FROM posts"));
        var timeline = _x.Timeline(user);
        Assert.Equal(3, timeline.Count);
        Assert.DoesNotContain("pagination_token", timeline[0].PathAndQuery);
        Assert.Contains("pagination_token=", timeline[1].PathAndQuery);
        Assert.All(timeline, r => Assert.Contains("max_results=100", r.PathAndQuery));
        Assert.All(timeline, r => Assert.Contains("expansions=author_id,referenced_tweets.id", r.PathAndQuery));
        Assert.Equal("1148203190", Scalar("SELECT external_id FROM accounts"));
        Assert.Equal("""{"since_id":"1995000000000000005"}""", Scalar("SELECT cursor FROM accounts"));
        // Ids beyond 2^53 survive as written.
        Assert.Equal("https://x.com/DallasPD/status/1995000000000000002", Scalar("SELECT url FROM posts WHERE post_id = '1995000000000000002'"));
    }

    [Fact]
    public async Task Second_poll_asks_with_since_id_of_the_newest_stored_post_and_costs_one_request()
    {
        var user = _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")]);
        Assert.Equal(0, (await Poll(config)).ExitCode);
        var before = _x.Requests.Count;

        var second = await Poll(config);

        Assert.Equal(0, second.ExitCode);
        var asked = _x.Requests.Skip(before).ToList();
        Assert.Single(asked);
        Assert.Equal($"/2/users/{user.Id}/tweets", asked[0].Path);
        Assert.Contains("since_id=1995000000000000005", asked[0].PathAndQuery);
        Assert.DoesNotContain("start_time", asked[0].PathAndQuery);
        Assert.Equal(1, _x.Count(XApiServer.LookupEndpoint));
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task Poll_resumes_from_the_stored_cursor_after_a_restart()
    {
        _x.PageSize = 2;
        var user = _x.AddFromTestData("dallaspd");
        user.FailAfterRequests = 1; // the first page is stored, then the process "dies" on the second
        var config = Configure([Agency("dallas", "DallasPD")]);

        var first = await Poll(config);
        Assert.Equal(1, first.ExitCode);
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM posts"));
        var pending = JsonNode.Parse((string)Scalar("SELECT cursor FROM accounts")!)!;
        Assert.Null(pending["since_id"]);
        Assert.NotNull(pending["pending"]!["token"]);
        Assert.Equal("1995000000000000005", pending["pending"]!["newest"]!.GetValue<string>());

        user.FailAfterRequests = null;
        var before = _x.Timeline(user).Count;
        var second = await Poll(config, "--account", "dallaspd");

        Assert.True(second.ExitCode == 0, second.ToString());
        var resumed = _x.Timeline(user).Skip(before).ToList();
        Assert.Equal(2, resumed.Count);
        Assert.Contains("pagination_token=" + pending["pending"]!["token"]!.GetValue<string>(), resumed[0].PathAndQuery);
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Equal("""{"since_id":"1995000000000000005"}""", Scalar("SELECT cursor FROM accounts"));
    }

    [Fact]
    public async Task Unknown_user_answered_with_200_and_errors_is_recorded_as_not_found()
    {
        var config = Configure([Agency("ghost", "nosuchagency")]);

        var result = await Poll(config);

        Assert.Equal(1, result.ExitCode);
        var (kind, error, _) = AccountRow("nosuchagency");
        Assert.Equal("not_found", kind);
        Assert.Contains("Not Found Error", error);
        Assert.Contains("not_found", result.Output);
        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task Suspended_user_is_recorded_as_not_found()
    {
        _x.AddFromTestData("dallaspd").Fault = XFault.Suspended;
        var config = Configure([Agency("dallas", "DallasPD")]);

        await Poll(config);

        var (kind, error, _) = AccountRow("dallaspd");
        Assert.Equal("not_found", kind);
        Assert.Contains("suspended", error);
    }

    [Fact]
    public async Task Rate_limited_account_waits_for_the_reset_then_recovers()
    {
        var user = _x.AddFromTestData("dallaspd");
        user.Fault = XFault.TooManyRequests;
        var reset = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeSeconds();
        _x.TooManyRequestsReset = reset;
        var config = Configure([Agency("dallas", "DallasPD")]);

        var limited = await Poll(config);

        Assert.Equal(1, limited.ExitCode);
        var (kind, _, next) = AccountRow("dallaspd");
        Assert.Equal("rate_limited", kind);
        var expected = DateTimeOffset.FromUnixTimeSeconds(reset).AddSeconds(5);
        Assert.Equal(expected, DateTimeOffset.Parse(next!));

        // Not due before the reset: a plain poll does not ask.
        var asked = _x.Timeline(user).Count;
        Assert.Equal(0, (await Poll(config)).ExitCode);
        Assert.Equal(asked, _x.Timeline(user).Count);

        user.Fault = XFault.None;
        StoredRows.Execute(_dir.File("tracker.db"), "UPDATE accounts SET next_attempt_at = '2000-01-01T00:00:00.000Z'"); // the reset has passed
        var recovered = await Poll(config, "--account", "dallaspd");
        Assert.True(recovered.ExitCode == 0, recovered.ToString());
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Null(AccountRow("dallaspd").Kind);
    }

    [Fact]
    public async Task Spent_rate_limit_stops_asking_the_endpoint_for_the_other_accounts()
    {
        _x.AddFromTestData("dallaspd");
        var other = _x.Add("22000001", "HoustonPolice", "Houston Police");
        _x.Post(other, XApiServer.Tweet("1995000000000000100", "Stay alert.", DateTimeOffset.UtcNow.AddHours(-1), other.Id));
        var reset = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        _x.SetRateLimit(XApiServer.TimelineEndpoint, remaining: 0, reset);
        var config = Configure([Agency("dallas", "DallasPD"), Agency("houston", "HoustonPolice")]);

        var result = await Poll(config);

        Assert.Equal(1, _x.Count(XApiServer.TimelineEndpoint));
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts"));
        var (kind, _, next) = AccountRow("houstonpolice");
        Assert.Equal("rate_limited", kind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset).AddSeconds(5), DateTimeOffset.Parse(next!));
        Assert.Equal("22000001", Scalar("SELECT external_id FROM accounts WHERE handle = 'houstonpolice'"));
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task Server_error_timeout_and_malformed_json_stay_with_their_own_account()
    {
        _x.AddFromTestData("dallaspd");
        _x.Add("31", "BrokenPD").Fault = XFault.ServerError;
        _x.Add("32", "GarbledPD").Fault = XFault.MalformedJson;
        _x.Add("33", "SilentPD").Fault = XFault.EmptyBody;
        _x.Add("34", "SlowPD").Fault = XFault.Slow;
        _x.Add("35", "OddPD").Fault = XFault.PostWithoutId;
        var config = Configure(
            [Agency("broken", "BrokenPD"), Agency("garbled", "GarbledPD"), Agency("silent", "SilentPD"), Agency("slow", "SlowPD"), Agency("odd", "OddPD"), Agency("dallas", "DallasPD")],
            new { BackfillDays = 3650, MaxConcurrency = 2, RequestTimeout = "00:00:01" });

        var result = await Poll(config);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts WHERE agency_id = 'dallas'"));
        Assert.Null(AccountRow("dallaspd").Kind);
        Assert.Equal("transient", AccountRow("brokenpd").Kind);
        Assert.Contains("HTTP 503", AccountRow("brokenpd").Error);
        Assert.Equal("malformed", AccountRow("garbledpd").Kind);
        Assert.Equal("malformed", AccountRow("silentpd").Kind);
        Assert.Equal("transient", AccountRow("slowpd").Kind);
        Assert.Equal("malformed", AccountRow("oddpd").Kind);
        Assert.Contains("a post without an id", AccountRow("oddpd").Error);
    }

    [Fact]
    public async Task Posts_are_stored_as_their_authors_wrote_them_unescaped_once_long_posts_whole_and_reposts_in_full()
    {
        _x.AddFromTestData("phillypd");
        var result = await Poll(Configure([Agency("philly", "PhillyPolice")]));
        Assert.True(result.ExitCode == 0, result.ToString());

        string Text(string id) => (string)Scalar($"SELECT text FROM posts WHERE post_id = '{id}'")!;
        Assert.Equal("RT @PhillyFOP5: Funeral arrangements for Sgt. Ana Ruiz: viewing Friday 4-8 p.m. & Saturday 9-11 a.m. at St. Mary's, service at 11 a.m. The procession follows I-95 -> Broad St. -> City Hall. Expect closures from 10 a.m. to 3 p.m. Motorists: plan for delays of an hour or more; SEPTA routes 4 & 16 detour. Officers from 40 agencies will attend <3", Text("1996000000000000005"));
        Assert.Equal("RT @SEPTA: Detours & delays on Broad St. …", Text("1996000000000000004"));
        Assert.Equal("Tonight we stand with the Fraternal Order of Police & the families of Sgt. Ana Ruiz and Officer Ben Cole. The vigil is at 7 p.m. at City Hall; officers <off duty> are welcome in uniform. Parking on Broad St. is closed from 5 p.m. Please bring candles, not flowers: the families asked that flowers go to the children's hospital instead. Thank you, Philadelphia.", Text("1996000000000000003"));
        Assert.Equal("Q&A with the family liaison unit at 3 p.m. <live> https://t.co/qA1\n\nQuoting @PhillyFOP5: Family liaison officers: \"We're here 24/7\" & <always> will be.", Text("1996000000000000002"));
        Assert.Equal("Salt & sand trucks are out. Roads < 32°F after dark; AT&T outage reported: call 911 from any phone. Writing &amp; in a post stays &amp;.", Text("1996000000000000001"));
        // The repost of a deleted post (a partial error beside data) keeps its own words, and the poll is a success.
        Assert.Null(Scalar("SELECT last_error_kind FROM accounts"));
        Assert.NotNull(Scalar("SELECT last_success_at FROM accounts"));
        Assert.Equal(1L, Scalar("SELECT is_repost FROM posts WHERE post_id = '1996000000000000005'"));
        Assert.Null(Scalar("SELECT lang FROM posts WHERE post_id = '1996000000000000001'"));
        Assert.Equal("https://x.com/PhillyPolice/status/1996000000000000003", Scalar("SELECT url FROM posts WHERE post_id = '1996000000000000003'"));
    }

    [Fact]
    public async Task The_timeline_is_asked_for_note_tweet_and_the_expansions_that_carry_reposts_and_authors()
    {
        var user = _x.AddFromTestData("phillypd");
        await Poll(Configure([Agency("philly", "PhillyPolice")]));

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(_x.BaseUrl + _x.Timeline(user).First().PathAndQuery).Query);
        Assert.Contains("note_tweet", query["tweet.fields"]!.Split(','));
        Assert.Contains("edit_history_tweet_ids", query["tweet.fields"]!.Split(','));
        Assert.Equal(["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id"], query["expansions"]!.Split(',').Order());
        Assert.Equal(["name", "profile_image_url", "username"], query["user.fields"]!.Split(',').Order());
    }

    [Fact]
    public async Task A_408_from_x_is_transient_as_it_is_from_every_source()
    {
        _x.AddFromTestData("dallaspd").Fault = XFault.RequestTimeout;

        var result = await Poll(Configure([Agency("dallas", "DallasPD")]));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("transient", AccountRow("dallaspd").Kind);
        Assert.Contains("HTTP 408", AccountRow("dallaspd").Error);
    }

    [Fact]
    public async Task Repost_takes_the_full_text_of_the_original_from_includes()
    {
        _x.AddFromTestData("dallaspd");
        await Poll(Configure([Agency("dallas", "DallasPD")]));

        var row = Rows("SELECT text, is_repost, is_reply FROM posts WHERE post_id = '1995000000000000004'").Single();
        Assert.Equal("RT @BatonRougePD: The funeral procession for Officer Matthew Gerald will begin at 9 a.m. Saturday on Florida Blvd. Please plan your route, expect road closures downtown and be patient with officers directing traffic.", row[0]);
        Assert.Equal(1L, row[1]);
        Assert.Equal(0L, row[2]);
    }

    [Fact]
    public async Task Quote_keeps_its_own_text_then_the_quoted_text_and_replies_are_flagged()
    {
        _x.AddFromTestData("dallaspd");
        await Poll(Configure([Agency("dallas", "DallasPD")]));

        var quote = (string)Scalar("SELECT text FROM posts WHERE post_id = '1995000000000000005'")!;
        Assert.StartsWith("Our thoughts are with our brothers and sisters in Baton Rouge tonight.", quote);
        Assert.EndsWith("Quoting @BatonRougePD: We lost three of our own today. Please keep their families in your prayers.", quote);
        var reply = Rows("SELECT is_reply, is_repost, lang, raw_json FROM posts WHERE post_id = '1995000000000000003'").Single();
        Assert.Equal(1L, reply[0]);
        Assert.Equal(0L, reply[1]);
        Assert.Equal("en", reply[2]);
        Assert.Equal("17404231", JsonNode.Parse((string)reply[3]!)!["in_reply_to_user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edited_post_updates_the_original_and_keeps_its_earlier_text()
    {
        var user = _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")]);
        await Poll(config);
        var original = (string)Scalar("SELECT text FROM posts WHERE post_id = '1995000000000000002'")!;

        _x.Post(user, JsonNode.Parse(XApiServer.TestData("edited-tweet.json"))!.AsObject());
        var second = await Poll(config);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM posts"));
        var row = Rows("SELECT text, edited_at, id FROM posts WHERE post_id = '1995000000000000002'").Single();
        Assert.Contains("three officers killed in the line of duty in Baton Rouge", (string)row[0]!);
        Assert.Equal("2026-11-30T23:00:00.000Z", row[1]);
        Assert.Equal(original, Scalar($"SELECT text FROM post_versions WHERE post_id = {row[2]}"));
        Assert.Equal("""{"since_id":"1995000000000000010"}""", Scalar("SELECT cursor FROM accounts"));
    }

    [Fact]
    public async Task First_poll_backfills_only_the_configured_days()
    {
        var user = _x.AddFromTestData("dallaspd");
        _x.Post(user, XApiServer.Tweet("1995000000000000200", "Fresh post", DateTimeOffset.UtcNow.AddDays(-1), user.Id));
        user.Tweets.Add(XApiServer.Tweet("1990000000000000001", "Old post", DateTimeOffset.UtcNow.AddDays(-10), user.Id));
        var config = Configure([Agency("dallas", "DallasPD")], new { BackfillDays = 3, MaxConcurrency = 1 });

        await Poll(config);

        var asked = _x.Timeline(user).Single();
        var start = DateTimeOffset.Parse(Uri.UnescapeDataString(asked.PathAndQuery.Split("start_time=")[1].Split('&')[0]));
        Assert.InRange(start, DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(5));
        var stored = Rows("SELECT post_id FROM posts").Select(r => (string)r[0]!).ToList();
        Assert.Contains("1995000000000000200", stored);
        Assert.DoesNotContain("1990000000000000001", stored);
    }

    [Fact]
    public async Task Bearer_token_never_appears_in_output_errors_or_logs()
    {
        _x.AddFromTestData("dallaspd");
        var log = _dir.File("log.txt");
        var config = _dir.Write("logging.config.json", System.Text.Json.JsonSerializer.Serialize(new
        {
            Tracker = new { Database = _dir.File("tracker.db"), Agencies = new[] { Agency("dallas", "DallasPD") } },
            Sources = new { X = new { BaseUrl = _x.BaseUrl } },
            Serilog = new { Using = new[] { "Serilog.Sinks.File" }, MinimumLevel = new { Default = "Verbose" }, WriteTo = new[] { new { Name = "File", Args = new { path = log } } } },
        }));
        var wrong = XApiServer.Token + "-revoked";

        var result = await CliRunner.RunAsync("poll", "--config", config, $"--Sources:X:BearerToken={wrong}");

        Assert.Equal(1, result.ExitCode);
        var (kind, error, _) = AccountRow("dallaspd");
        Assert.Equal("unauthorized", kind);
        Assert.Contains("HTTP 401", error);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var logged = File.Exists(log) ? File.ReadAllText(log) : "";
        Assert.Contains("unauthorized", logged);
        foreach (var text in new[] { result.Output, result.Error, error!, logged })
            Assert.DoesNotContain(XApiServer.Token, text);
        Assert.Equal($"Bearer {wrong}", _x.Requests.First().Header("Authorization"));
    }

    [Fact]
    public async Task Missing_bearer_token_is_unauthorized_and_names_the_key()
    {
        _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")]);

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("unauthorized", AccountRow("dallaspd").Kind);
        Assert.StartsWith("Sources:X:BearerToken is not set; check", AccountRow("dallaspd").Error);
        Assert.Empty(_x.Requests);
    }

    [Fact]
    public async Task Profile_is_recorded_and_a_changed_avatar_is_a_second_snapshot()
    {
        var user = _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")], new { BackfillDays = 3650, MaxConcurrency = 1, ProfileInterval = "00:00:00" });
        await Poll(config);
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM profile_snapshots"));
        Assert.Equal(0, _x.Count(XApiServer.UsersEndpoint));

        user.ProfileImageUrl = "https://pbs.twimg.com/profile_images/1700000000000000000/dpd_mourning_band_normal.jpg";
        var second = await Poll(config);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(1, _x.Count(XApiServer.UsersEndpoint));
        Assert.Contains($"ids={user.Id}", _x.Requests.Last().PathAndQuery);
        var snapshots = Rows("SELECT display_name, avatar_url FROM profile_snapshots ORDER BY id");
        Assert.Equal(2, snapshots.Count);
        Assert.Equal("Dallas Police Dept", snapshots[1][0]);
        Assert.EndsWith("dpd_mourning_band_normal.jpg", (string)snapshots[1][1]!);
    }

    [Fact]
    public async Task Profiles_of_idle_accounts_are_asked_together_in_one_users_lookup()
    {
        var handles = Enumerable.Range(1, 5).Select(i => $"QuietPD{i}").ToArray();
        var users = handles.Select((h, i) => _x.Add($"4100{i}", h, $"Quiet PD {i}", $"https://pbs.twimg.com/profile_images/{i}/a_normal.jpg")).ToList();
        var config = Configure(handles.Select(h => Agency(h.ToLowerInvariant(), h)).ToArray(),
            new { BackfillDays = 3650, MaxConcurrency = 8, ProfileInterval = "00:00:00" });
        Assert.Equal(0, (await Poll(config)).ExitCode);
        Assert.Equal(0, _x.Count(XApiServer.UsersEndpoint));

        var second = await Poll(config);

        Assert.True(second.ExitCode == 0, second.ToString());
        var lookups = _x.Requests.Where(r => r.Path == "/2/users").ToList();
        Assert.InRange(lookups.Count, 1, handles.Length - 1);
        var asked = lookups.SelectMany(r => Uri.UnescapeDataString(r.PathAndQuery.Split("ids=")[1].Split('&')[0]).Split(',')).Order().ToList();
        Assert.Equal(users.Select(u => u.Id).Order(), asked);
        Assert.Equal(5L, Scalar("SELECT COUNT(*) FROM profile_snapshots"));
    }

    [Fact]
    public async Task A_page_token_x_no_longer_accepts_restarts_the_cycle_from_since_id()
    {
        var user = _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")]);
        Assert.Equal(0, (await Poll(config)).ExitCode);
        using (var connection = new SqliteConnection($"Data Source={_dir.File("tracker.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """UPDATE accounts SET cursor = '{"since_id":"1995000000000000003","pending":{"token":"expired","newest":"1995000000000000004"}}';""";
            command.ExecuteNonQuery();
        }
        _x.Post(user, XApiServer.Tweet("1995000000000000300", "Vigil tonight at 7 p.m.", DateTimeOffset.UtcNow.AddHours(-1), user.Id));
        var before = _x.Timeline(user).Count;

        var result = await Poll(config);

        Assert.True(result.ExitCode == 0, result.ToString());
        var asked = _x.Timeline(user).Skip(before).ToList();
        Assert.Equal(2, asked.Count);
        Assert.Contains("pagination_token=expired", asked[0].PathAndQuery);
        Assert.DoesNotContain("pagination_token", asked[1].PathAndQuery);
        Assert.Contains("since_id=1995000000000000003", asked[1].PathAndQuery);
        Assert.Equal(6L, Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Equal("""{"since_id":"1995000000000000300"}""", Scalar("SELECT cursor FROM accounts"));
    }

    [Fact]
    public async Task A_fresh_page_token_refused_is_malformed_and_not_asked_again_and_again()
    {
        _x.PageSize = 2;
        _x.RejectPageTokens = true;
        var user = _x.AddFromTestData("dallaspd");
        var config = Configure([Agency("dallas", "DallasPD")]);

        var result = await Poll(config);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, _x.Timeline(user).Count);
        Assert.Equal("malformed", AccountRow("dallaspd").Kind);
        Assert.Contains("HTTP 400 (Invalid Request", AccountRow("dallaspd").Error);
        Assert.Equal(2L, Scalar("SELECT COUNT(*) FROM posts"));
    }
}
