using System.Text.Json;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Polling;

/// <summary>`poll` end to end over RSS and Atom: the real command line, real HTTP on loopback, a real SQLite file.</summary>
public sealed class RssPollTests : IAsyncLifetime
{
    private readonly TestDirectory _dir = new();
    private FeedServer _feeds = null!;
    private string Db => _dir.File("tracker.db");

    public async Task InitializeAsync() => _feeds = await FeedServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _feeds.DisposeAsync();
        _dir.Dispose();
    }

    private string WriteConfig(params (string Agency, string Path)[] feeds) => Config.Write(_dir,
        agencies: feeds.Select(f => new
        {
            Id = f.Agency,
            Name = f.Agency.ToUpperInvariant() + " Police",
            State = "TX",
            Accounts = new[] { new { Platform = "rss", Url = _feeds.Url(f.Path) } },
        }).ToArray(),
        polling: new { RequestTimeout = "00:00:03", MaxConcurrency = 4 });

    private long Posts(string? account = null) => account is null
        ? StoredRows.Scalar(Db, "SELECT COUNT(*) FROM posts")
        : StoredRows.Scalar(Db, "SELECT COUNT(*) FROM posts WHERE account = $a", ("$a", account));

    private Dictionary<string, object?> AccountRow(string path) =>
        StoredRows.Query(Db, "SELECT * FROM accounts WHERE handle = $h", ("$h", _feeds.Url(path))).Single();

    [Fact]
    public async Task Poll_stores_the_new_items_of_rss_and_atom_feeds_and_prints_the_summary()
    {
        _feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        _feeds.ServeFile("/br.atom", "baton-rouge.atom", contentType: "application/atom+xml");
        var config = WriteConfig(("dallas", "/dallas.xml"), ("baton-rouge", "/br.atom"));

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        // Dallas: three items in the back-fill window, the 400-day-old one left out; Baton Rouge: two entries.
        Assert.Matches(@"rss\s+2\s+5\s+0\s+2", result.Output);
        Assert.Equal(3, Posts(_feeds.Url("/dallas.xml")));
        Assert.Equal(2, Posts(_feeds.Url("/br.atom")));

        var funeral = StoredRows.Query(Db, "SELECT * FROM posts WHERE post_id = 'https://dallaspolice.example/news/funeral-smith'").Single();
        Assert.Equal("rss", funeral["platform"]);
        Assert.Equal("dallas", funeral["agency_id"]);
        Assert.Equal("https://dallaspolice.example/news/funeral-smith", funeral["url"]);
        var text = (string)funeral["text"]!;
        Assert.StartsWith("Funeral arrangements for Officer Michael Smith\n\nVisitation is Friday & the procession follows at 10 a.m.", text);
        Assert.Contains("procession route (https://dallaspolice.example/news/procession-route)", text);
        Assert.DoesNotContain("<", text);
        Assert.DoesNotContain("alert", text);
        Assert.Contains("<item>", (string)funeral["raw_json"]!);
        var created = DateTimeOffset.Parse((string)funeral["created_at"]!);
        Assert.InRange(created, _feeds.Now.AddDays(-1).AddSeconds(-2), _feeds.Now.AddDays(-1).AddSeconds(1));

        // No guid: keyed by link. Neither guid nor link: keyed by a hash, and no url.
        Assert.Equal(1, StoredRows.Scalar(Db, "SELECT COUNT(*) FROM posts WHERE post_id = 'https://dallaspolice.example/news/stay-vigilant'"));
        var thanks = StoredRows.Query(Db, "SELECT * FROM posts WHERE text LIKE 'Thank you to every agency%'").Single();
        Assert.Null(thanks["url"]);
        Assert.Contains("#sha256:", (string)thanks["post_id"]!);

        var mourning = StoredRows.Query(Db, "SELECT * FROM posts WHERE post_id = 'tag:brpd.example,2016:news/102'").Single();
        Assert.Equal("Mourning bands\n\nOur officers will wear mourning bands through the funeral.", mourning["text"]);
        Assert.Equal("baton-rouge", mourning["agency_id"]);

        // The profile: feed title and image.
        var profile = StoredRows.Query(Db, "SELECT p.display_name, p.avatar_url FROM profile_snapshots p JOIN accounts a ON a.id = p.account_id WHERE a.handle = $h", ("$h", _feeds.Url("/dallas.xml"))).Single();
        Assert.Equal("Dallas Police Department – News", profile["display_name"]);
        Assert.Equal("https://dallaspolice.example/images/badge-mourning.png", profile["avatar_url"]);
    }

    [Fact]
    public async Task A_second_poll_costs_one_request_per_feed_answered_304_and_stores_nothing_new()
    {
        _feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        _feeds.ServeFile("/br.atom", "baton-rouge.atom");
        var config = WriteConfig(("dallas", "/dallas.xml"), ("baton-rouge", "/br.atom"));
        var first = await CliRunner.RunAsync("poll", "--config", config);
        Assert.True(first.ExitCode == 0, first.ToString());
        var cursorBefore = (string)AccountRow("/dallas.xml")["cursor"]!;

        var second = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Matches(@"total\s+2\s+0\s+0\s+2", second.Output);
        foreach (var path in new[] { "/dallas.xml", "/br.atom" })
        {
            Assert.Equal(2, _feeds.RequestsTo(path).Count);
            Assert.Equal(1, _feeds.AnswersTo(path, 304));
            Assert.NotNull(_feeds.RequestsTo(path)[1].Header("If-None-Match"));
            Assert.NotNull(_feeds.RequestsTo(path)[1].Header("If-Modified-Since"));
        }
        Assert.Equal(5, Posts());
        // The 304 came with other caching headers; the ones of the last 200 are kept.
        Assert.Equal(cursorBefore, AccountRow("/dallas.xml")["cursor"]);
        Assert.DoesNotContain("sent-with-a-304", cursorBefore);
    }

    [Fact]
    public async Task Poll_resumes_from_the_stored_cursor_after_a_restart_with_no_duplicates()
    {
        _feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        var config = WriteConfig(("dallas", "/dallas.xml"));
        var first = await CliRunner.RunAsync("poll", "--config", config);
        Assert.True(first.ExitCode == 0, first.ToString());
        var etag = JsonDocument.Parse((string)AccountRow("/dallas.xml")["cursor"]!).RootElement.GetProperty("etag").GetString();

        // The feed gains an item; a new process (a restart) polls with the cursor it finds in the database.
        _feeds.ServeFile("/dallas.xml", "dallas-pd-updated.xml");
        var second = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(etag, _feeds.RequestsTo("/dallas.xml")[1].Header("If-None-Match"));
        Assert.Matches(@"rss\s+1\s+1\s+0\s+1", second.Output);
        Assert.Equal(4, Posts());
        Assert.Equal(0, StoredRows.Scalar(Db, "SELECT COUNT(*) FROM (SELECT platform, post_id FROM posts GROUP BY platform, post_id HAVING COUNT(*) > 1)"));
        // The item older than the first poll's back-fill window stays out on later polls too.
        Assert.Equal(0, StoredRows.Scalar(Db, "SELECT COUNT(*) FROM posts WHERE text LIKE 'Annual report%'"));
        Assert.Equal(1, StoredRows.Scalar(Db, "SELECT COUNT(*) FROM posts WHERE text LIKE 'Memorial service this Sunday%'"));

        var third = await CliRunner.RunAsync("poll", "--config", config);
        Assert.Matches(@"rss\s+1\s+0\s+0\s+1", third.Output);
        Assert.Equal(1, _feeds.AnswersTo("/dallas.xml", 304));
    }

    [Fact]
    public async Task A_malformed_feed_a_500_and_a_slow_feed_each_fail_only_their_own_account()
    {
        _feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        _feeds.ServeFile("/broken.xml", "malformed.xml");
        _feeds.ServeStatus("/down.xml", 500);
        _feeds.ServeFile("/slow.xml", "baton-rouge.atom", delay: TimeSpan.FromSeconds(8));
        var config = WriteConfig(("dallas", "/dallas.xml"), ("broken", "/broken.xml"), ("down", "/down.xml"), ("slow", "/slow.xml"));

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"rss\s+4\s+3\s+3\s+4", result.Output);
        Assert.Equal(3, Posts(_feeds.Url("/dallas.xml")));
        Assert.Equal(3, Posts());
        Assert.Contains($"failed: broken rss {_feeds.Url("/broken.xml")}: malformed:", result.Output);
        Assert.Contains($"failed: down rss {_feeds.Url("/down.xml")}: transient: HTTP 500", result.Output);
        Assert.Contains($"failed: slow rss {_feeds.Url("/slow.xml")}: transient: timed out", result.Output);

        foreach (var (path, kind) in new[] { ("/broken.xml", "malformed"), ("/down.xml", "transient"), ("/slow.xml", "transient") })
        {
            var row = AccountRow(path);
            Assert.Equal(kind, row["last_error_kind"]);
            Assert.Equal(1L, row["consecutive_failures"]);
            Assert.NotNull(row["next_attempt_at"]);
            Assert.Null(row["cursor"]);
        }
        var good = AccountRow("/dallas.xml");
        Assert.Null(good["last_error_kind"]);
        Assert.Equal(0L, good["consecutive_failures"]);
        Assert.NotNull(good["last_success_at"]);

        var status = await CliRunner.RunAsync("status", "--config", config);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("4 accounts, 3 failing", status.Output);
        Assert.Contains("malformed: not well-formed XML", status.Output);
        Assert.Contains("transient: HTTP 500", status.Output);
        Assert.Contains("transient: timed out after 3 s", status.Output);
    }

    [Fact]
    public async Task A_failed_feed_backs_off_and_the_next_poll_asks_it_all_the_same_saying_so()
    {
        _feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        _feeds.ServeStatus("/gone.xml", 410);
        var config = WriteConfig(("dallas", "/dallas.xml"), ("gone", "/gone.xml"));
        var first = await CliRunner.RunAsync("poll", "--config", config);
        Assert.Equal(1, first.ExitCode);
        Assert.Equal("not_found", AccountRow("/gone.xml")["last_error_kind"]);

        var second = await CliRunner.RunAsync("poll", "--config", config);

        // A person asked for every account: the gone feed is asked again (the worker would wait), the healthy one answers 304.
        Assert.Equal(1, second.ExitCode);
        Assert.Equal(2, _feeds.RequestsTo("/gone.xml").Count);
        Assert.Equal(2, _feeds.RequestsTo("/dallas.xml").Count);
        Assert.Contains("had been in back-off", second.Output);
        Assert.Equal(2L, AccountRow("/gone.xml")["consecutive_failures"]);
    }
}
