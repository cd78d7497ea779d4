using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SolidarityTracker.Cli;
using SolidarityTracker.Sources;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Worker;

public sealed class RuntimeFailureTests
{
    [Fact]
    public async Task A_template_broken_while_the_worker_runs_is_logged_with_file_and_line_and_polling_goes_on()
    {
        using var dir = new TestDirectory();
        var templates = Path.Combine(dir.Path, "templates");
        Directory.CreateDirectory(templates);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "templates"), "digest.*.sbn"))
            File.Copy(file, Path.Combine(templates, Path.GetFileName(file)));
        var log = dir.File("logs/worker.log");
        var feed = TrackerWorld.Feed("a");
        var config = dir.Write("worker.json", JsonSerializer.Serialize(new
        {
            Tracker = new { Database = dir.File("tracker.db"), Agencies = TrackerWorld.RssAgencies("a") },
            Polling = new { Cron = "* * * * * ?" },
            Digest = new { Cron = "* * * * * ?", TimeZone = "America/New_York", OutputDirectory = dir.File("digests"), Templates = templates },
            Serilog = new
            {
                Using = new[] { "Serilog.Sinks.File" },
                MinimumLevel = new { Default = "Information" },
                WriteTo = new object[] { new { Name = "File", Args = new { path = log, shared = true, flushToDiskInterval = "00:00:00.200" } } },
            },
        }));
        var source = new ScriptedSource();
        for (var i = 0; i < 200; i++) source.Then(feed, new PageStep(Page($"c{i}", Post(feed, $"p{i}", DateTimeOffset.UtcNow, $"post {i}"))));
        using var app = new CliApp(config, [], TextWriter.Null, TextWriter.Null);
        using var stop = new CancellationTokenSource();

        var run = RunCommand.RunWorkerAsync(app, once: false, stop.Token, services => services.AddSingleton<ISource>(source));
        await WaitFor(() => File.Exists(Path.Combine(dir.File("digests"), $"digest-{Yesterday()}.html")), "a first digest");
        File.WriteAllText(Path.Combine(templates, "digest.html.sbn"), "<html>\n{{ for post in }}\n</html>");
        await WaitFor(() => ReadShared(log).Contains("digest.html.sbn:2:"), "the template error in the log", () => ReadShared(log));
        var fetchesAfterError = Fetches(source);
        await WaitFor(() => Fetches(source) >= fetchesAfterError + 2, "two more polls after the error");
        stop.Cancel();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(15)));
        var line = ReadShared(log).Split('\n').First(l => l.Contains("digest.html.sbn:2:"));
        Assert.Contains("failed", line);
    }

    private static string Yesterday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime).AddDays(-1).ToString("yyyy-MM-dd");

    private static int Fetches(ScriptedSource source)
    {
        lock (source.Fetches) return source.Fetches.Count;
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    private static async Task WaitFor(Func<bool> condition, string what, Func<string>? seen = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 30 s for {what}; saw: {seen?.Invoke()}");
            await Task.Delay(100);
        }
    }
}
