using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

public sealed class CheckAndStatusTests
{
    [Fact]
    public async Task Check_tries_every_account_once_reports_each_in_a_table_and_exits_1_when_one_fails()
    {
        await using var feeds = await FeedServer.StartAsync();
        feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        feeds.ServeStatus("/gone.xml", 404);
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[]
        {
            new { Id = "dallas-pd", Name = "Dallas PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/dallas.xml") } } },
            new { Id = "gone-pd", Name = "Gone PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/gone.xml") } } },
        });

        var result = await CliRunner.RunAsync("check", "--config", config);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("configuration: ok", result.Output);
        Assert.Matches(@"dallas-pd\s+rss\s+\S+dallas\.xml\s+ok: \d+ new posts", result.Output);
        Assert.Matches(@"gone-pd\s+rss\s+\S+gone\.xml\s+not_found", result.Output);
        Assert.Contains("sources: 1 ok, 1 failing", result.Output);
        // check stores nothing.
        Assert.Equal(0, StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task Check_opens_the_configured_Jetstream_once_without_subscribing_and_exits_1_when_it_does_not_answer()
    {
        await using var feeds = await FeedServer.StartAsync();
        feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        await using var jetstream = await JetstreamServer.StartAsync();
        using var dir = new TestDirectory();
        var config = Config.Write(dir,
            agencies: new[] { new { Id = "dallas-pd", Name = "Dallas PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/dallas.xml") } } } },
            sources: new { Bluesky = new { Jetstream = jetstream.Url } });

        var up = await CliRunner.RunAsync("check", "--config", config);
        jetstream.Refuse = true;
        var down = await CliRunner.RunAsync("check", "--config", config);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains($"bluesky jetstream: ok: the stream at {jetstream.Url} answers", up.Output);
        var asked = Assert.Single(jetstream.Connections);
        Assert.Contains("wantedCollections=app.bsky.feed.post", asked);
        Assert.Contains("requireHello=true", asked);
        Assert.Empty(jetstream.OptionsUpdates); // no hello: the probe subscribes to nothing
        Assert.True(down.ExitCode == 1, down.ToString());
        Assert.Matches(@"bluesky jetstream: failing: cannot open the stream at \S+ \(.*503.*\); check Sources:Bluesky:Jetstream", down.Output);
        Assert.Contains("sources: 1 ok, 0 failing", down.Output);
    }

    [Fact]
    public async Task Status_shows_each_account_with_its_last_error_and_post_count()
    {
        await using var feeds = await FeedServer.StartAsync();
        feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        feeds.ServeStatus("/down.xml", 503);
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[]
        {
            new { Id = "dallas-pd", Name = "Dallas PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/dallas.xml") } } },
            new { Id = "down-pd", Name = "Down PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/down.xml") } } },
        });
        await CliRunner.RunAsync("poll", "--config", config);

        var result = await CliRunner.RunAsync("status", "--config", config);

        Assert.Equal(0, result.ExitCode);
        var down = result.Output.Split('\n').Single(l => l.StartsWith("down-pd"));
        Assert.Contains("transient", down);
        Assert.Matches(@"\s1\s", down);
        var dallas = result.Output.Split('\n').Single(l => l.StartsWith("dallas-pd"));
        Assert.DoesNotMatch(@"\s0\s*$", dallas);
        Assert.Contains("2 accounts, 1 failing", result.Output);
    }

    [Fact]
    public async Task Status_names_every_account_in_full_with_times_in_their_zone_and_each_platforms_usage_in_text_and_json()
    {
        await using var feeds = await FeedServer.StartAsync();
        const string stem = "/news/feeds/department-announcements-and-press-releases-of-the-city-police-category-";
        feeds.ServeFile(stem + "a.xml", "dallas-pd.xml");
        feeds.ServeFile(stem + "b.xml", "dallas-pd.xml");
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[]
        {
            new { Id = "a-very-long-agency-identifier-pd", Name = "A PD", State = "TX", Accounts = new[]
            {
                new { Platform = "rss", Url = feeds.Url(stem + "a.xml") },
                new { Platform = "rss", Url = feeds.Url(stem + "b.xml") },
            } },
        });
        await CliRunner.RunAsync("poll", "--config", config);

        var text = await CliRunner.RunAsync("status", "--config", config);
        var json = await CliRunner.RunAsync("status", "--config", config, "--format", "json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.DoesNotContain("…", text.Output);
        foreach (var feed in new[] { "a.xml", "b.xml" })
        {
            var line = Assert.Single(text.Output.Split('\n'), l => l.Contains(feeds.Url(stem + feed)));
            Assert.StartsWith("a-very-long-agency-identifier-pd  rss", line);
            Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d -0[45]:00", line);
        }
        Assert.Contains("times in America/New_York", text.Output);
        var usage = Assert.Single(text.Output.Split('\n'), l => l.StartsWith("rss "));
        var figures = usage.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(long.Parse).ToArray();
        Assert.Equal(2, figures[0]);
        Assert.True(figures[1] > 0);
        Assert.Equal(figures[0], figures[2]);
        Assert.Equal(figures[1], figures[3]);

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        var root = document.RootElement;
        Assert.Equal("America/New_York", root.GetProperty("time_zone").GetString());
        var accounts = root.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal([feeds.Url(stem + "a.xml"), feeds.Url(stem + "b.xml")], accounts.Select(a => a.GetProperty("account").GetString()));
        Assert.All(accounts, a => Assert.Matches(@"T\d\d:\d\d:\d\d-0[45]:00$", a.GetProperty("last_success_at").GetString()));
        Assert.All(accounts, a => Assert.True(a.GetProperty("posts").GetInt64() > 0));
        var rss = Assert.Single(root.GetProperty("platforms").EnumerateArray());
        Assert.Equal("rss", rss.GetProperty("platform").GetString());
        Assert.Equal(2, rss.GetProperty("requests_today").GetInt64());
        Assert.Equal(figures[1], rss.GetProperty("posts_read_this_month").GetInt64());
    }

    [Fact]
    public async Task Status_with_an_unknown_format_is_bad_input()
    {
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("status", "--config", Config.Write(dir), "--format", "xml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--format", result.Error);
    }

    [Fact]
    public async Task Check_reports_a_broken_roundup_override_with_file_line_and_column_and_exits_2()
    {
        using var dir = new TestDirectory();
        var templates = Path.Combine(dir.Path, "templates");
        dir.Write("templates/roundup.md.sbn", "# Roundup\n{{ for agency in }}\n");
        var config = Config.Write(dir, digest: new { TimeZone = "America/New_York", OutputDirectory = dir.File("digests"), Templates = templates });

        var result = await CliRunner.RunAsync("check", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"roundup\.md\.sbn:2:\d+", result.Error);
    }
}
