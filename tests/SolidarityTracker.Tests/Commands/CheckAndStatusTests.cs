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
