using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

public sealed class PollCommandTests
{
    [Fact]
    public async Task Poll_after_faults_asks_the_accounts_in_back_off_and_says_which_had_been()
    {
        await using var feeds = await FeedServer.StartAsync();
        feeds.ServeStatus("/a.xml", 503);
        feeds.ServeFile("/b.xml", "dallas-pd.xml");
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[]
        {
            new { Id = "a-pd", Name = "A PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/a.xml") } } },
            new { Id = "b-pd", Name = "B PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/b.xml") } } },
        });
        var failed = await CliRunner.RunAsync("poll", "--config", config);
        feeds.ServeFile("/a.xml", "dallas-pd.xml");

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"total\s+2\s", result.Output);
        var note = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("had been in back-off"));
        Assert.Contains("a-pd rss " + feeds.Url("/a.xml"), note);
        // The worker's next attempt it would have waited for, with its zone's offset.
        Assert.Matches(@"until \d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d\)", note);
        Assert.Equal(0L, StoredRows.Account(dir.File("tracker.db"), feeds.Url("/a.xml"))["consecutive_failures"]);
        Assert.True(StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM posts p JOIN accounts a ON a.id = p.account_id WHERE a.agency_id = 'a-pd'") > 0);
    }

    [Fact]
    public async Task Poll_leaves_an_account_alone_until_its_platforms_rate_limit_resets_and_says_until_when()
    {
        await using var feeds = await FeedServer.StartAsync();
        feeds.ServeStatus("/a.xml", 429, new Dictionary<string, string> { ["Retry-After"] = "3600" });
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[]
        {
            new { Id = "a-pd", Name = "A PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/a.xml") } } },
        });
        await CliRunner.RunAsync("poll", "--config", config);
        feeds.ServeFile("/a.xml", "dallas-pd.xml");

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("not polled, waiting for the platform's rate-limit reset at ", result.Output);
        Assert.Single(feeds.RequestsTo("/a.xml"));
    }
}
