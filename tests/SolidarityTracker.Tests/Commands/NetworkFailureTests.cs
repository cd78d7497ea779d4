using System.Text.RegularExpressions;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

/// <summary>Every source unreachable (a loopback port nobody listens on), as the real program run from a shell sees it.</summary>
public sealed class NetworkFailureTests
{
    private static string UnreachableConfig(TestDirectory dir, out int port)
    {
        port = SmtpTestServer.FreePort();
        var root = $"http://127.0.0.1:{port}";
        return Config.Write(dir,
            agencies: new[]
            {
                new { Id = "far-pd", Name = "Far PD", State = "TX", Accounts = new object[]
                {
                    new { Platform = "x", Handle = "FarPD" },
                    new { Platform = "mastodon", Handle = "farpd@mastodon.example" },
                    new { Platform = "bluesky", Handle = "farpd.bsky.social" },
                    new { Platform = "rss", Url = root + "/news.xml" },
                } },
            },
            sources: new { X = new { BaseUrl = root, BearerToken = "test-token" }, Mastodon = new { BaseUrl = root }, Bluesky = new { BaseUrl = root } });
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Check_with_every_source_unreachable_prints_one_row_per_account_and_nothing_on_standard_error()
    {
        using var dir = new TestDirectory();
        var config = UnreachableConfig(dir, out var port);

        using var check = ChildProgram.Start("check", "--config", config);
        var exit = await check.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 1, check.Output);
        Assert.Empty(Lines(check.Error));
        var rows = Lines(check.Output).Where(l => l.StartsWith("far-pd")).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, row => Assert.Contains($"transient: 127.0.0.1:{port}: no connection (refused or unreachable); check that", row));
    }

    [Fact]
    public async Task Poll_with_every_source_unreachable_logs_one_line_per_account_worded_as_check_words_it()
    {
        using var dir = new TestDirectory();
        var config = UnreachableConfig(dir, out var port);

        using var poll = ChildProgram.Start("poll", "--config", config);
        var exit = await poll.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 1, poll.Output);
        var logged = Lines(poll.Error);
        Assert.True(logged.Length == 4, poll.Error);
        Assert.All(logged, line => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d \[WRN\] Poll of \w+ account \S+ of far-pd failed", line));
        // The time of the next attempt says its zone too (UTC, with Z).
        Assert.All(logged, line => Assert.Matches(@"next attempt \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ;", line));
        var failed = Lines(poll.Output).Where(l => l.StartsWith("failed: far-pd")).ToList();
        Assert.Equal(4, failed.Count);
        Assert.All(failed, line => Assert.EndsWith($": transient: 127.0.0.1:{port}: no connection (refused or unreachable); check that the service is up and the BaseUrl or feed URL names the right host and port; the next poll tries again", line));
    }

    [Fact]
    public async Task At_Debug_the_connection_retries_are_logged_with_their_stack_traces()
    {
        using var dir = new TestDirectory();
        var config = UnreachableConfig(dir, out _);

        using var poll = ChildProgram.Start("poll", "--config", config, "--Serilog:MinimumLevel:Default=Debug");
        await poll.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("[DBG] Execution attempt", poll.Error);
        Assert.Matches(new Regex(@"^\s+at System\.Net\.", RegexOptions.Multiline), poll.Error);
    }
}
