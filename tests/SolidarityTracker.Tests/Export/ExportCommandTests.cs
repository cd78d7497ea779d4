using System.Text.Json;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Export.ExportSeed;

namespace SolidarityTracker.Tests.Export;

public sealed class ExportCommandTests
{
    private static readonly string[] Columns =
    [
        "platform", "post_id", "agency_id", "agency_name", "account", "created_at", "url", "text", "labels",
        "condolence_score", "memorial_score", "safety_reminder_score", "is_repost", "is_reply", "lang",
    ];

    private const string BigXId = "755123456789012345678";

    private static async Task<ExportSeed> SeedAsync()
    {
        var seed = new ExportSeed();
        await seed.AddAsync(
            (Post(Platforms.X, BigXId, BatonRouge, "2016-07-17T13:45:00Z", "Our thoughts are with the families of the fallen. Mourning band on our badge."), Labelled(Labels.Condolence, Labels.Memorial)),
            (Post(Platforms.Mastodon, "109000000000000001", Hamden, "2016-07-17T15:00:00Z", "Hamden PD sends our deepest condolences to Baton Rouge."), Labelled(Labels.Condolence)),
            (Post(Platforms.Bluesky, "3kabc", Dallas, "2016-07-18T02:10:00Z", "Please report anything out of place. Call 911."), Labelled(Labels.SafetyReminder)),
            (Post(Platforms.Rss, "https://spd.example/news/1", Shreveport, "2016-07-16T12:00:00Z", "Road closures downtown for the parade."), Labelled()));
        return seed;
    }

    [Fact]
    public async Task Csv_export_has_the_contract_columns_in_order_and_rows_oldest_first()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("export");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(string.Join(',', Columns) + "\r\n", result.Output);
        var (header, rows) = Csv.Parse(result.Output);
        Assert.Equal(Columns, header);
        Assert.Equal(["spd", "brpd", "hamden", "dpd"], rows.Select(r => r["agency_id"]));
        var brpd = rows[1];
        Assert.Equal("x", brpd["platform"]);
        Assert.Equal(BigXId, brpd["post_id"]);
        Assert.Equal("Baton Rouge Police", brpd["agency_name"]);
        Assert.Equal("brpd_account", brpd["account"]);
        Assert.Equal("2016-07-17T13:45:00Z", brpd["created_at"]);
        Assert.Equal($"https://example.org/brpd/{BigXId}", brpd["url"]);
        Assert.Equal("condolence;memorial", brpd["labels"]);
        Assert.Equal("0.9", brpd["condolence_score"]);
        Assert.Equal("0.05", brpd["safety_reminder_score"]);
        Assert.Equal("false", brpd["is_repost"]);
        Assert.Equal("en", brpd["lang"]);
        Assert.Equal("", rows[0]["labels"]);
    }

    [Fact]
    public async Task Csv_neutralises_formulas_and_keeps_ids_as_text()
    {
        using var seed = new ExportSeed();
        await seed.AddAsync(
            (Post(Platforms.X, "000123", Hamden, "2016-07-17T15:00:00Z", "=HYPERLINK(\"http://evil.example\",\"click\")"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "000124", Hamden, "2016-07-17T15:01:00Z", "+1 for our brothers"), Labelled()),
            (Post(Platforms.X, "000125", Hamden, "2016-07-17T15:02:00Z", "-5 degrees, stay warm"), Labelled()),
            (Post(Platforms.X, "000126", Hamden, "2016-07-17T15:03:00Z", "@BRPD we stand with you"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "000127", Hamden, "2016-07-17T15:04:00Z", "\tTabbed"), Labelled()),
            (Post(Platforms.X, "000128", Hamden, "2016-07-17T15:05:00Z", "Plain text stays, a = b"), Labelled()));

        var result = await seed.RunAsync("export", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (_, rows) = Csv.Parse(result.Output);
        Assert.Equal(
            ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 for our brothers", "'-5 degrees, stay warm", "'@BRPD we stand with you", "'\tTabbed", "Plain text stays, a = b"],
            rows.Select(r => r["text"]));
        // Leading zeros survive: ids are written as the text they are.
        Assert.Equal(["000123", "000124", "000125", "000126", "000127", "000128"], rows.Select(r => r["post_id"]));
        Assert.Contains(",000123,", result.Output);
    }

    [Fact]
    public async Task Json_export_is_an_array_with_ids_as_strings()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("export", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        foreach (var item in items)
        {
            Assert.Equal(Columns, item.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, item.GetProperty("post_id").ValueKind);
        }
        var brpd = items[1];
        Assert.Equal(BigXId, brpd.GetProperty("post_id").GetString());
        Assert.Equal(0.9, brpd.GetProperty("condolence_score").GetDouble());
        Assert.False(brpd.GetProperty("is_repost").GetBoolean());
        Assert.Equal("2016-07-17T13:45:00Z", brpd.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task An_empty_json_export_is_an_empty_array()
    {
        using var seed = new ExportSeed();

        var result = await seed.RunAsync("export", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(0, document.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Json_export_writes_emoji_and_accents_as_UTF_8_and_escapes_only_what_JSON_needs()
    {
        using var seed = new ExportSeed();
        const string text = "Praying for Baton Rouge 🙏💙 — pensées à \"la famille\"\n<b>\\</b>";
        await seed.AddAsync((Post(Platforms.X, "1", BatonRouge, "2016-07-17T13:45:00Z", text), Labelled(Labels.Condolence)));

        var json = await seed.RunAsync("export", "--format", "json");
        var jsonl = await seed.RunAsync("export", "--format", "jsonl");

        foreach (var result in new[] { json, jsonl })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Praying for Baton Rouge 🙏💙 — pensées à \\\"la famille\\\"\\n<b>\\\\</b>", result.Output);
            Assert.DoesNotContain("\\u", result.Output);
        }
        Assert.Equal(text, JsonDocument.Parse(jsonl.Output).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Jsonl_export_has_one_object_a_line_that_reads_back_as_the_stored_post()
    {
        using var seed = await SeedAsync();
        var file = seed.Dir.File("out/timeline.jsonl");

        var result = await seed.RunAsync("export", "--format", "jsonl", "--out", file, "--mkdir");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Output);
        var bytes = File.ReadAllBytes(file);
        Assert.NotEqual(0xEF, bytes[0]); // no byte order mark
        var lines = File.ReadAllLines(file);
        Assert.Equal(4, lines.Length);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
        using var line = JsonDocument.Parse(lines[1]);
        var post = line.RootElement;
        Assert.Equal(Columns, post.EnumerateObject().Select(p => p.Name));
        Assert.Equal("x", post.GetProperty("platform").GetString());
        Assert.Equal(BigXId, post.GetProperty("post_id").GetString());
        Assert.Equal("brpd", post.GetProperty("agency_id").GetString());
        Assert.Equal("brpd_account", post.GetProperty("account").GetString());
        Assert.Equal("Our thoughts are with the families of the fallen. Mourning band on our badge.", post.GetProperty("text").GetString());
        Assert.Equal("condolence;memorial", post.GetProperty("labels").GetString());
        Assert.Equal(DateTimeOffset.Parse("2016-07-17T13:45:00Z"), post.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.False, post.GetProperty("is_reply").ValueKind);
        Assert.Equal("en", post.GetProperty("lang").GetString());
    }

    [Fact]
    public async Task Jsonl_export_imports_back_into_the_posts_that_were_stored()
    {
        using var seed = await SeedAsync();
        var stored = new List<SolidarityTracker.Model.Post>();
        await foreach (var p in seed.Store.QueryAsync(new SolidarityTracker.Storage.PostQuery())) stored.Add(p.Post);
        using var other = new TestDirectory();
        var file = other.File("export.jsonl");

        var exported = await seed.RunAsync("export", "--format", "jsonl", "--out", file);
        var imported = await CliRunner.RunAsync("import", file, "--config", Config.Write(other));

        Assert.True(exported.ExitCode == 0 && imported.ExitCode == 0, exported + "\n" + imported);
        var read = new List<SolidarityTracker.Model.Post>();
        await foreach (var p in new SolidarityTracker.Storage.PostStore(new SolidarityTracker.Storage.TrackerDatabase(other.File("tracker.db"))).QueryAsync(new SolidarityTracker.Storage.PostQuery()))
            read.Add(p.Post);
        Assert.Equal(stored.Count, read.Count);
        for (var i = 0; i < read.Count; i++)
            Assert.Equal(stored[i] with { RawJson = null, EditedAt = null }, read[i] with { RawJson = null, EditedAt = null });
    }

    [Theory]
    [InlineData("--label", "condolence", new[] { "brpd", "hamden" })]
    [InlineData("--label", "memorial", new[] { "brpd" })]
    [InlineData("--label", "safety-reminder", new[] { "dpd" })]
    [InlineData("--label", "other", new[] { "spd" })]
    [InlineData("--agency", "HAMDEN", new[] { "hamden" })]
    [InlineData("--platform", "bluesky", new[] { "dpd" })]
    [InlineData("--state", "la", new[] { "spd", "brpd" })]
    [InlineData("--query", "\"Baton Rouge\"", new[] { "hamden" })]
    [InlineData("--query", "families OR 911", new[] { "brpd", "dpd" })]
    public async Task Each_filter_narrows_the_export(string option, string value, string[] agencies)
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("export", option, value);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(agencies, Csv.Parse(result.Output).Rows.Select(r => r["agency_id"]));
    }

    [Fact]
    public async Task From_and_to_are_local_days_across_a_daylight_saving_change()
    {
        // America/New_York falls back on 2016-11-06: that local day is 25 hours, 04:00Z to 05:00Z the next day.
        using var seed = new ExportSeed();
        await seed.AddAsync(
            (Post(Platforms.X, "1", Hamden, "2016-11-06T03:30:00Z", "Nov 5, 23:30 EDT"), Labelled()),
            (Post(Platforms.X, "2", Hamden, "2016-11-06T04:30:00Z", "Nov 6, 00:30 EDT"), Labelled()),
            (Post(Platforms.X, "3", Hamden, "2016-11-07T04:30:00Z", "Nov 6, 23:30 EST"), Labelled()),
            (Post(Platforms.X, "4", Hamden, "2016-11-07T05:30:00Z", "Nov 7, 00:30 EST"), Labelled()));

        var result = await seed.RunAsync("export", "--from", "2016-11-06", "--to", "2016-11-06");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["2", "3"], Csv.Parse(result.Output).Rows.Select(r => r["post_id"]));
    }

    [Fact]
    public async Task Deleted_posts_are_left_out_unless_asked_for()
    {
        using var seed = await SeedAsync();
        seed.MarkDeleted(Platforms.Mastodon, "109000000000000001");

        var without = await seed.RunAsync("export");
        var with = await seed.RunAsync("export", "--include-deleted");

        Assert.Equal(["spd", "brpd", "dpd"], Csv.Parse(without.Output).Rows.Select(r => r["agency_id"]));
        Assert.Equal(["spd", "brpd", "hamden", "dpd"], Csv.Parse(with.Output).Rows.Select(r => r["agency_id"]));
    }

    [Theory]
    [InlineData("--label", "sympathy", "--label")]
    [InlineData("--platform", "myspace", "--platform")]
    [InlineData("--format", "xlsx", "--format")]
    [InlineData("--from", "17/07/2016", "--from")]
    [InlineData("--to", "2016-02-30", "--to")]
    [InlineData("--query", "\"Baton Rouge", "--query")]
    public async Task Bad_input_exits_2_with_one_line_naming_the_option(string option, string value, string named)
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("export", option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Output);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(named, line);
    }

    [Fact]
    public async Task From_after_to_exits_2()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("export", "--from", "2016-07-18", "--to", "2016-07-17");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--from 2016-07-18 is after --to 2016-07-17", Assert.Single(result.Error.Trim().Split('\n')));
    }

    [Fact]
    public async Task A_bad_query_with_out_leaves_no_file_behind()
    {
        using var seed = await SeedAsync();
        var file = seed.Dir.File("out.csv");

        var result = await seed.RunAsync("export", "--query", "\"unbalanced", "--out", file);

        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFiles(seed.Dir.Path, "*.tmp"));
    }
}
