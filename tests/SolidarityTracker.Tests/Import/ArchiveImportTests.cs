using System.Text;
using System.Text.Json;
using SolidarityTracker.Import;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Import;

/// <summary>`import` end to end: the real command line, the sample archives of testdata/archives, a real SQLite file.</summary>
public sealed class ArchiveImportTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly string _config;
    private string Db => _dir.File("tracker.db");

    public ArchiveImportTests()
    {
        _config = Config.Write(_dir, agencies: new object[]
        {
            new { Id = "dallas", Name = "Dallas Police Department", State = "TX", Accounts = new object[] { new { Platform = "x", Handle = "@DallasPD" } } },
            new { Id = "brpd", Name = "Baton Rouge Police Department", State = "LA", Accounts = new object[] { new { Platform = "x", Handle = "BRPD" } } },
            new { Id = "nypd", Name = "New York City Police Department", State = "NY", Accounts = new object[] { new { Platform = "mastodon", Handle = "nypd@mastodon.example" } } },
        });
    }

    public void Dispose() => _dir.Dispose();

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", "archives", name);

    private Task<CliResult> ImportAsync(params string[] args) => CliRunner.RunAsync(["import", .. args, "--config", _config]);

    private long Count(string sql, params (string, object)[] parameters) => StoredRows.Scalar(Db, sql, parameters);

    private Dictionary<string, object?> Post(string postId) =>
        StoredRows.Query(Db, "SELECT * FROM posts WHERE post_id = $id", ("$id", postId)).Single();

    public static TheoryData<string, string?, string, int, int> Samples => new()
    {
        // file, --format, the format named in the summary, posts, the line of the one bad record
        { "export.jsonl", null, "jsonl", 3, 4 },
        { "export.csv", null, "csv", 3, 5 },
        { "twarc2.jsonl", "twarc2", "twarc2", 4, 2 },
        { "twarc2.jsonl", null, "twarc2", 4, 2 },
        { "x-archive/data/tweets.js", null, "x-archive", 4, 60 },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Each_format_imports_its_good_records_and_reports_the_bad_one_with_file_and_line(string file, string? format, string named, int posts, int badLine)
    {
        var path = Sample(file);

        var result = format is null ? await ImportAsync(path) : await ImportAsync(path, "--format", format);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{path} ({named}):", result.Output);
        Assert.Contains($"{posts} added, 0 updated, 0 unchanged, 1 bad", result.Output);
        var warning = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"warning: {path}:{badLine}: ", warning);
        Assert.Equal(posts, Count("SELECT COUNT(*) FROM posts"));
        // Every imported post is classified (the placeholder classifier labels nothing, but the row is there).
        Assert.Equal(posts, Count("SELECT COUNT(*) FROM classifications"));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_repeated_import_adds_nothing(string file, string? format, string named, int posts, int badLine)
    {
        _ = (format, named, badLine);
        var first = await ImportAsync(Sample(file));
        Assert.True(first.ExitCode == 0, first.ToString());

        var second = await ImportAsync(Sample(file));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"0 added, 0 updated, {posts} unchanged, 1 bad", second.Output);
        Assert.Equal(posts, Count("SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task A_twarc2_retweet_takes_the_full_text_from_includes()
    {
        var result = await ImportAsync(Sample("twarc2.jsonl"));
        Assert.True(result.ExitCode == 0, result.ToString());

        var retweet = Post("754716999999999999");
        Assert.Equal("RT @BRPD: Tonight we ask every resident of Baton Rouge to stay vigilant, keep your porch lights on and report anything out of place to 911. We are grateful for the support of agencies across the nation & our community.", retweet["text"]);
        Assert.Equal(1L, retweet["is_repost"]);
        Assert.Equal("DallasPD", retweet["account"]);
        Assert.Equal("dallas", retweet["agency_id"]);
        Assert.Equal("https://x.com/DallasPD/status/754716999999999999", retweet["url"]);

        var original = Post("754716130519171072");
        Assert.Equal("Our thoughts and prayers are with @BRPD & the families of the officers killed this morning.", original["text"]);
        Assert.Equal("2016-07-17T14:05:00.000Z", original["created_at"]);
        Assert.Equal(0L, original["is_repost"]);
        Assert.Equal("en", original["lang"]);

        Assert.Equal(1L, Post("754717000000000003")["is_reply"]);
        // The second page, after the bad line, is another author: mapped to its configured agency.
        Assert.Equal("brpd", Post("754800000000000010")["agency_id"]);
    }

    [Fact]
    public async Task An_x_archive_reads_the_author_from_account_js_and_marks_retweets_and_replies()
    {
        var result = await ImportAsync(Sample("x-archive/data/tweets.js"));
        Assert.True(result.ExitCode == 0, result.ToString());

        var first = Post("754716130519171072");
        Assert.Equal("DallasPD", first["account"]);
        Assert.Equal("dallas", first["agency_id"]);
        Assert.Equal("https://x.com/DallasPD/status/754716130519171072", first["url"]);
        Assert.Equal("2016-07-17T14:05:00.000Z", first["created_at"]);
        Assert.Equal("Our thoughts and prayers are with @BRPD & the families of the officers killed this morning.", first["text"]);
        Assert.Equal(1L, Post("754716999999999999")["is_repost"]);
        Assert.Equal(1L, Post("754717000000000003")["is_reply"]);
        Assert.Equal("2016-07-18T09:30:00.000Z", Post("754800000000000020")["created_at"]);
        Assert.Contains("tweet 754717000000000004: bad created_at 'yesterday afternoon'", result.Error);
    }

    [Fact]
    public async Task The_agency_comes_from_the_record_else_from_the_configured_handle()
    {
        var result = await ImportAsync(Sample("export.jsonl"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("dallas", Post("754716130519171072")["agency_id"]);
        // No agency_id in the record: the configured account's handle decides (case and @ do not matter).
        Assert.Equal("nypd", Post("112233445566")["agency_id"]);
    }

    [Fact]
    public async Task The_agency_flag_wins_over_the_record()
    {
        var result = await ImportAsync(Sample("export.csv"), "--agency", "brpd");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, Count("SELECT COUNT(*) FROM posts WHERE agency_id = 'brpd'"));
    }

    [Fact]
    public async Task An_agency_unknown_to_configuration_is_created_unconfigured_with_the_name_in_the_file()
    {
        var result = await ImportAsync(Sample("export.jsonl"));
        Assert.True(result.ExitCode == 0, result.ToString());

        var lapd = StoredRows.Query(Db, "SELECT * FROM agencies WHERE id = 'lapd'").Single();
        Assert.Equal("Los Angeles Police Department", lapd["name"]);
        Assert.Equal(0L, lapd["configured"]);
        var dallas = StoredRows.Query(Db, "SELECT * FROM agencies WHERE id = 'dallas'").Single();
        Assert.Equal(1L, dallas["configured"]);
        var bluesky = Post("at://did:plc:abc123/app.bsky.feed.post/3kx7");
        Assert.Equal("We stand with @BRPD tonight. \"Blue family\" & friends.", bluesky["text"]);
        Assert.Equal(1L, bluesky["is_repost"]);
        Assert.Null(bluesky["lang"]);
    }

    [Fact]
    public async Task Imported_posts_are_linked_to_the_configured_account_they_came_from_and_status_counts_them()
    {
        var result = await ImportAsync(Sample("export.jsonl"));
        var status = await CliRunner.RunAsync("status", "--format", "json", "--config", _config);

        Assert.True(result.ExitCode == 0, result.ToString());
        // Handle "DallasPD" against the configured "@DallasPD"; "NYPD@mastodon.example" against "nypd@mastodon.example".
        var accountOf = StoredRows.Query(Db, "SELECT p.post_id, a.handle FROM posts p LEFT JOIN accounts a ON a.id = p.account_id")
            .ToDictionary(r => (string)r["post_id"]!, r => r["handle"] as string);
        Assert.Equal("dallaspd", accountOf["754716130519171072"]);
        Assert.Equal("nypd@mastodon.example", accountOf["112233445566"]);
        // An account nobody configured stays unlinked.
        Assert.Null(accountOf["at://did:plc:abc123/app.bsky.feed.post/3kx7"]);
        Assert.True(status.ExitCode == 0, status.ToString());
        var posts = JsonDocument.Parse(status.Output).RootElement.GetProperty("accounts").EnumerateArray()
            .ToDictionary(a => a.GetProperty("account").GetString()!, a => a.GetProperty("posts").GetInt64());
        Assert.Equal(1, posts["dallaspd"]);
        Assert.Equal(1, posts["nypd@mastodon.example"]);
        Assert.Equal(0, posts["brpd"]);
    }

    [Fact]
    public async Task A_post_imported_before_its_account_was_configured_is_linked_when_imported_again()
    {
        var unconfigured = Config.Write(_dir, name: "none.config.json");
        Assert.Equal(0, (await CliRunner.RunAsync("import", Sample("export.jsonl"), "--config", unconfigured)).ExitCode);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM posts WHERE account_id IS NOT NULL"));

        var again = await ImportAsync(Sample("export.jsonl"));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 added", again.Output);
        Assert.Equal(2, Count("SELECT COUNT(*) FROM posts WHERE account_id IS NOT NULL"));
    }

    [Fact]
    public async Task An_agency_flag_naming_no_configured_agency_is_refused_naming_it()
    {
        var result = await ImportAsync(Sample("export.csv"), "--agency", "no-such-agency");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("error: --agency no-such-agency: no such agency in Tracker:Agencies; configure it, or add --create-agency to file the posts under a new, unconfigured agency",
            result.Error.Trim());
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task Create_agency_lets_the_agency_flag_name_a_new_unconfigured_agency()
    {
        var result = await ImportAsync(Sample("export.csv"), "--agency", "new-agency", "--create-agency");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, Count("SELECT COUNT(*) FROM posts WHERE agency_id = 'new-agency'"));
        Assert.Equal(0L, StoredRows.Query(Db, "SELECT configured FROM agencies WHERE id = 'new-agency'").Single()["configured"]);
    }

    [Fact]
    public async Task A_csv_record_may_span_lines_and_quote_commas_and_quotes()
    {
        var result = await ImportAsync(Sample("export.csv"));
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.Equal("Our thoughts and prayers are with @BRPD, and the families of the officers killed this morning.", Post("754716130519171072")["text"]);
        Assert.Equal("Mourning bands:\nour officers will wear them in honor of the fallen in \"Baton Rouge\".", Post("112233445566")["text"]);
        Assert.Contains("export.csv:5: missing post_id", result.Error);
    }

    [Fact]
    public async Task A_record_whose_text_changed_counts_as_updated_on_reimport()
    {
        var file = _dir.Write("posts.jsonl", Line("1", "First words."));
        Assert.Equal(0, (await ImportAsync(file)).ExitCode);
        _dir.Write("posts.jsonl", Line("1", "First words, corrected."));

        var result = await ImportAsync(file);

        Assert.Contains("0 added, 1 updated, 0 unchanged", result.Output);
        Assert.Equal("First words, corrected.", Post("1")["text"]);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM post_versions"));
    }

    [Fact]
    public async Task Every_kind_of_bad_line_is_reported_and_the_good_lines_are_kept()
    {
        var file = _dir.Write("mixed.jsonl", string.Join('\n',
            Line("1", "Good."),
            "this is not json",
            """{"platform":"x","text":"no id","created_at":"2016-07-17T14:05:00Z"}""",
            """{"platform":"x","post_id":"3","created_at":"2016-07-17T14:05:00Z"}""",
            """{"platform":"x","post_id":"4","text":"no date"}""",
            """{"platform":"x","post_id":"5","text":"bad date","created_at":"July 17th"}""",
            """{"platform":"friendster","post_id":"6","text":"unknown platform","created_at":"2016-07-17T14:05:00Z"}""",
            """[1, 2, 3]""",
            Line("9", "Also good.")));

        var result = await ImportAsync(file, "--format", "jsonl");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 added", result.Output);
        Assert.Contains($"{file}:2: not JSON", result.Error);
        Assert.Contains($"{file}:3: missing post_id", result.Error);
        Assert.Contains($"{file}:4: post 3: missing text", result.Error);
        Assert.Contains($"{file}:5: post 4: missing created_at", result.Error);
        Assert.Contains($"{file}:6: post 5: bad created_at 'July 17th'", result.Error);
        Assert.Contains($"{file}:7: unknown platform 'friendster'", result.Error);
        Assert.Contains($"{file}:8: not a JSON object", result.Error);
        Assert.Equal(2, Count("SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task A_twarc2_tweet_without_created_at_is_reported_and_its_page_mates_kept()
    {
        var page = """{"data":[{"id":"10","author_id":"1","text":"kept","created_at":"2016-07-17T14:05:00.000Z"},{"id":"11","author_id":"1","text":"no date"}],"includes":{"users":[{"id":"1","username":"BRPD"}]}}""";
        var file = _dir.Write("page.jsonl", page + "\n");

        var result = await ImportAsync(file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{file}:1: tweet 11: missing created_at", result.Error);
        Assert.Equal("brpd", Post("10")["agency_id"]);
    }

    [Fact]
    public async Task Twarc2_flattened_lines_are_read_with_their_inlined_author_and_retweet()
    {
        var line = """{"id":"20","author_id":"2","created_at":"2016-07-17T16:00:00.000Z","text":"RT @BRPD: Please keep our offi…","author":{"id":"2","username":"DallasPD"},"referenced_tweets":[{"type":"retweeted","id":"19","text":"Please keep our officers in your prayers tonight.","author":{"id":"1","username":"BRPD"}}]}""";
        var file = _dir.Write("flat.jsonl", line + "\n");

        var result = await ImportAsync(file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(twarc2)", result.Output);
        var post = Post("20");
        Assert.Equal("RT @BRPD: Please keep our officers in your prayers tonight.", post["text"]);
        Assert.Equal("dallas", post["agency_id"]);
        Assert.Equal(1L, post["is_repost"]);
    }

    [Fact]
    public async Task A_missing_file_leaves_no_database_behind()
    {
        var result = await ImportAsync(_dir.File("nowhere.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task A_tweets_js_cut_short_keeps_the_records_before_the_cut()
    {
        var whole = File.ReadAllText(Sample("x-archive/data/tweets.js"));
        var file = _dir.Write("tweets.js", whole[..whole.IndexOf("754717000000000003", StringComparison.Ordinal)]);

        var result = await ImportAsync(file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 added", result.Output);
        Assert.Contains($"{file}:", result.Error);
        // Without account.js beside it, the author is unknown; the link still works through x.com/i/.
        Assert.Equal("https://x.com/i/status/754716130519171072", Post("754716130519171072")["url"]);
    }

    [Fact]
    public async Task A_bad_record_deep_in_a_large_tweets_js_is_reported_at_the_line_it_starts_on()
    {
        // Pretty-printed like the real archive and well past the reader's 64 KB buffer.
        var records = Enumerable.Range(0, 3_000).Select(i => new { tweet = new
        {
            id_str = (900_000_000_000_000_000L + i).ToString(),
            created_at = i == 2_500 ? "garbage" : "Sun Jul 17 14:05:00 +0000 2016",
            full_text = $"Stay vigilant, message {i}.",
        } });
        var text = "window.YTD.tweets.part0 = " + JsonSerializer.Serialize(records, new JsonSerializerOptions { WriteIndented = true });
        var file = _dir.Write("tweets.js", text);
        var lines = text.Split('\n');
        var badLine = Array.FindIndex(lines, l => l.Contains("garbage"));
        while (lines[badLine].Trim() != "{" || !lines[badLine + 1].Contains("\"tweet\"")) badLine--;

        var result = await ImportAsync(file, "--agency", "dallas");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2999 added", result.Output);
        Assert.Equal($"warning: {file}:{badLine + 1}: tweet 900000000000002500: bad created_at 'garbage' (expected like \"Sun Jul 17 14:05:00 +0000 2016\")", result.Error.Trim());
        // No account.js: the agency's one configured X handle names the author.
        Assert.Equal("https://x.com/DallasPD/status/900000000000000000", Post("900000000000000000")["url"]);
    }

    [Fact]
    public async Task A_large_file_imports_in_batches_and_a_repeat_adds_nothing()
    {
        var file = _dir.File("large.jsonl");
        var lines = ArchiveImporter.BatchSize * 2 + 500;
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
            for (var i = 0; i < lines; i++) await writer.WriteLineAsync(Line(i.ToString(), $"Post number {i}."));

        var first = await ImportAsync(file);
        var second = await ImportAsync(file);

        Assert.Contains($"{lines} added", first.Output);
        Assert.Contains($"0 added, 0 updated, {lines} unchanged", second.Output);
        Assert.Equal(lines, Count("SELECT COUNT(*) FROM posts"));
        Assert.Equal(lines, Count("SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'post'"));
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        var missing = _dir.File("nowhere.jsonl");

        var result = await ImportAsync(missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {missing}: no such file", result.Error.Trim());
    }

    [Fact]
    public async Task An_unknown_format_exits_2_naming_the_choices()
    {
        var result = await ImportAsync(Sample("export.jsonl"), "--format", "myspace");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--format myspace", result.Error);
        Assert.Contains("twarc2", result.Error);
    }

    [Fact]
    public async Task A_file_with_nothing_importable_exits_2_after_listing_its_bad_lines()
    {
        var file = _dir.Write("bad.jsonl", "not json\n{\"platform\":\"x\"}\n");

        var result = await ImportAsync(file, "--format", "jsonl");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"warning: {file}:1: not JSON", result.Error);
        Assert.Contains($"warning: {file}:2: missing post_id", result.Error);
        Assert.Contains($"error: {file}: nothing importable (2 bad records)", result.Error);
    }

    [Fact]
    public async Task A_csv_without_the_export_header_exits_2_naming_the_missing_columns()
    {
        var file = _dir.Write("other.csv", "id,body\n1,hello\n");

        var result = await ImportAsync(file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:1: the CSV header lacks platform, post_id, created_at, text", result.Error);
    }

    [Fact]
    public async Task A_file_whose_format_cannot_be_told_exits_2_asking_for_format()
    {
        var file = _dir.Write("mystery.txt", "hello world\n");

        var result = await ImportAsync(file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--format", result.Error);
    }

    private static string Line(string id, string text) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["platform"] = "x", ["post_id"] = id, ["agency_id"] = "dallas", ["account"] = "DallasPD",
        ["created_at"] = "2016-07-17T14:05:00Z", ["text"] = text, ["is_repost"] = false, ["is_reply"] = false,
    });
}
