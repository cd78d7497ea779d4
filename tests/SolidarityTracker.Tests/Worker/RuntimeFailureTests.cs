using Microsoft.AspNetCore.Http;
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
            Polling = new { Cron = "* * * * * ?", MinInterval = "00:00:01", MaxInterval = "00:00:01" },
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

    [Fact]
    public async Task A_full_disk_fails_the_poll_with_one_clear_line_and_damages_nothing_already_stored()
    {
        using var dir = new TestDirectory();
        var disk = dir.File("disk");
        Directory.CreateDirectory(disk);
        // A small disk of its own: a tmpfs needs root (CI runs as root); elsewhere the test says so and stops.
        if (!Mount(disk, "16m", out var why)) { Console.WriteLine($"skipped: cannot mount a tmpfs ({why})"); return; }
        try
        {
            var big = string.Join(' ', Enumerable.Repeat("Our thoughts and prayers are with the family of Officer Reyes.", 60));
            var items = new System.Text.StringBuilder();
            var createdAt = DateTimeOffset.UtcNow.AddHours(-2);
            var count = 0;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync($"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed</title><link>https://a.example/</link><description>d</description>{items}</channel></rss>");
            });
            void AddItems(int n)
            {
                for (var i = 0; i < n; i++, count++)
                    items.Append($"<item><title>Update {count}</title><link>https://a.example/news/{count}</link><pubDate>{createdAt.AddSeconds(count):r}</pubDate><description>{big}</description></item>");
            }
            AddItems(5);
            var config = Config.Write(dir, agencies: new[] { new { Id = "a", Name = "A", State = "OH", Accounts = new[] { new { Platform = "rss", Url = server.BaseUrl + "/feed.xml" } } } });
            var database = Path.Combine(disk, "tracker.db");
            Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config, $"--Tracker:Database={database}")).ExitCode);
            // Fill the disk, then offer far more than fits.
            var filler = Path.Combine(disk, "filler");
            FillUp(filler);
            AddItems(400);

            var full = await CliRunner.RunAsync("poll", "--config", config, $"--Tracker:Database={database}");

            Assert.Equal(1, full.ExitCode);
            Assert.Contains("disk holding Tracker:Database is full", full.Output + full.Error);
            File.Delete(filler);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Assert.Equal("ok", StoredRows.Query(database, "PRAGMA integrity_check").Single().Values.Single());
            Assert.Equal(5, StoredRows.Scalar(database, "SELECT COUNT(*) FROM posts"));
            // With room again the next poll stores everything.
            var after = await CliRunner.RunAsync("poll", "--config", config, $"--Tracker:Database={database}", "--account", "a");
            Assert.True(after.ExitCode == 0, after.ToString());
            Assert.Equal(405, StoredRows.Scalar(database, "SELECT COUNT(*) FROM posts"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Unmount(disk);
        }
    }

    [Fact]
    public async Task A_poll_whose_own_cycle_record_cannot_be_written_still_stores_and_reports_every_account()
    {
        using var dir = new TestDirectory();
        var created = DateTimeOffset.UtcNow.AddHours(-1);
        var items = 1;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            var body = string.Concat(Enumerable.Range(0, items).Select(i =>
                $"<item><title>Update {i}</title><link>https://a.example/news/{i}</link><pubDate>{created.AddSeconds(i):r}</pubDate><description>Update {i}</description></item>"));
            await context.Response.WriteAsync($"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed</title><link>https://a.example/</link><description>d</description>{body}</channel></rss>");
        });
        var config = Config.Write(dir, agencies: new[] { new { Id = "a", Name = "A", State = "OH", Accounts = new[] { new { Platform = "rss", Url = server.BaseUrl + "/feed.xml" } } } });
        Assert.Equal(0, (await CliRunner.RunAsync("poll", "--config", config)).ExitCode);
        var database = dir.File("tracker.db");
        // The cycle's bookkeeping row fails as a full disk would fail it; the account's own writes still succeed.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER poll_runs_fail BEFORE INSERT ON poll_runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";
            command.ExecuteNonQuery();
        }
        items = 3;

        var result = await CliRunner.RunAsync("poll", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("rss", result.Output); // the per-platform table is still printed
        Assert.Equal(3, StoredRows.Scalar(database, "SELECT COUNT(*) FROM posts"));
    }

    /// <summary>Writes until the disk refuses, then frees a little room so the database can still be opened.</summary>
    private static void FillUp(string path)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
        {
            var chunk = new byte[64 * 1024];
            try { while (true) stream.Write(chunk); }
            catch (IOException) { }
        }
        using var trim = new FileStream(path, FileMode.Open);
        trim.SetLength(Math.Max(0, trim.Length - 96 * 1024));
    }

    private static bool Mount(string folder, string size, out string why)
    {
        var mount = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
        mount.WaitForExit();
        why = mount.StandardError.ReadToEnd().Trim();
        return mount.ExitCode == 0;
    }

    private static void Unmount(string folder) =>
        System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("umount", [folder]) { RedirectStandardError = true })!.WaitForExit();

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
