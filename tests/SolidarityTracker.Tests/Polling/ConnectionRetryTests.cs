using Microsoft.AspNetCore.Http;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Polling;

public sealed class ConnectionRetryTests
{
    private const string Feed = """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Hamden PD</title><link>https://hamden.example/</link><description>news</description>
        <item><title>Stay vigilant</title><link>https://hamden.example/news/1</link><guid>https://hamden.example/news/1</guid><pubDate>{0}</pubDate><description>Report anything out of place.</description></item>
        </channel></rss>
        """;

    [Fact]
    public async Task A_connection_dropped_before_any_answer_is_retried_and_the_poll_succeeds()
    {
        var asked = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref asked) == 1) { context.Abort(); return; }
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(string.Format(Feed, DateTimeOffset.UtcNow.AddHours(-1).ToString("r")));
        });
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[] { new { Id = "hamden", Name = "Hamden PD", State = "CT", Accounts = new[] { new { Platform = "rss", Url = server.BaseUrl + "/feed.xml" } } } });

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, asked);
        Assert.Equal(1, StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task A_server_error_is_not_retried_in_the_request_but_recorded_on_the_account()
    {
        var asked = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            Interlocked.Increment(ref asked);
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var dir = new TestDirectory();
        var config = Config.Write(dir, agencies: new[] { new { Id = "hamden", Name = "Hamden PD", State = "CT", Accounts = new[] { new { Platform = "rss", Url = server.BaseUrl + "/feed.xml" } } } });

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(1, asked);
        Assert.Equal("transient", StoredRows.Query(dir.File("tracker.db"), "SELECT last_error_kind FROM accounts").Single()["last_error_kind"]);
    }
}
