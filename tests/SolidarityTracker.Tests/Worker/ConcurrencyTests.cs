using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Worker;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Export_digest_status_and_check_run_while_the_worker_writes_without_database_is_locked()
    {
        using var dir = new TestDirectory();
        var asked = new ConcurrentDictionary<string, int>();
        var baseTime = DateTimeOffset.UtcNow.AddHours(-3);
        // Feeds that grow on every request, so every poll cycle of the worker writes.
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            var n = asked.AddOrUpdate(context.Request.Path, 1, (_, v) => v + 1);
            var xml = new StringBuilder("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed</title><link>https://agency.example/</link><description>d</description>");
            for (var i = 1; i <= 10 + n * 10; i++)
                xml.Append($"<item><title>Stay vigilant {i}</title><link>https://agency.example{context.Request.Path}/{i}</link><pubDate>{baseTime.AddSeconds(i):r}</pubDate><description>Our prayers are with Millbrook.</description></item>");
            xml.Append("</channel></rss>");
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(xml.ToString());
        });
        var agencies = Enumerable.Range(1, 8).Select(i => new
        {
            Id = $"agency-{i}", Name = $"Agency {i}", State = "OH",
            Accounts = new[] { new { Platform = "rss", Url = $"{server.BaseUrl}/feeds/{i}.xml" } },
        }).ToArray();
        var config = Config.Write(dir, agencies: agencies, polling: new { Cron = "* * * * * ?", MaxConcurrency = 4, MinInterval = "00:00:01", MaxInterval = "00:00:01" });
        using var worker = ChildProgram.Start("run", "--config", config);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && asked.Values.Sum() < 8) await Task.Delay(100);

        var results = new List<(string Command, CliResult Result)>();
        var until = DateTime.UtcNow.AddSeconds(8);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        while (DateTime.UtcNow < until)
        {
            results.Add(("export", await CliRunner.RunAsync("export", "--config", config, "--format", "jsonl", "--out", dir.File("export.jsonl"))));
            results.Add(("digest", await CliRunner.RunAsync("digest", "--config", config, "--date", today, "--format", "html")));
            results.Add(("status", await CliRunner.RunAsync("status", "--config", config)));
            results.Add(("check", await CliRunner.RunAsync("check", "--config", config)));
        }
        var requestsWhileReading = asked.Values.Sum();
        worker.Terminate();
        Assert.Equal(0, await worker.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.True(results.Count >= 8, $"only {results.Count} commands ran");
        foreach (var (command, result) in results)
        {
            Assert.True(result.ExitCode == 0, $"{command}: {result}");
            Assert.DoesNotContain("locked", result.Error, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("locked", worker.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(requestsWhileReading > 16, "the worker kept polling while the commands read");
    }
}
