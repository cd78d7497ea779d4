using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

public sealed class RunOnceTests
{
    [Fact]
    public async Task Run_once_polls_every_account_then_renders_todays_digest_and_exits()
    {
        await using var feeds = await FeedServer.StartAsync();
        feeds.ServeFile("/dallas.xml", "dallas-pd.xml");
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[]
        {
            new { Id = "dallas-pd", Name = "Dallas PD", State = "TX", Accounts = new[] { new { Platform = "rss", Url = feeds.Url("/dallas.xml") } } },
        });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);

        var result = await CliRunner.RunAsync("run", "--once", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"rss\s+1\s+[1-9]\d*\s+0\s+1", result.Output);
        Assert.Contains($"digest {today:yyyy-MM-dd}:", result.Output);
        Assert.True(File.Exists(Path.Combine(dir.File("digests"), $"digest-{today:yyyy-MM-dd}.html")));
        Assert.True(StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM posts") > 0);
    }

    [Fact]
    public async Task Run_with_no_agencies_configured_warns_once_at_start()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync("run", "--once", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Error.Split('\n'), l => l.StartsWith("warning: no agencies are configured (Tracker:Agencies is empty)"));
    }
}
