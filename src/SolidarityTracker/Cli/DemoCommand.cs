using System.CommandLine;
using SolidarityTracker.Digests;
using SolidarityTracker.Model;
using SolidarityTracker.Import;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Cli;

/// <summary>
/// `demo [--out DIR]`: the offline first run. Imports the bundled sample wave into a fresh database,
/// classifies it, renders the sample's main day in every format and prints the paths and counts.
/// </summary>
public static class DemoCommand
{
    public const string SampleConfig = "samples/demo.config.json";
    public const string SamplePosts = "samples/wave.jsonl";

    public static Command Create(CliApp app)
    {
        var output = CliOptions.Text("--out", "Folder for the demo database and digests (default: ./demo).");
        var command = new Command("demo", "Import the bundled sample wave into a fresh database and render its digest in every format.") { output };
        command.SetAction(async (parse, ct) =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var folder = Path.GetFullPath(parse.GetValue(output) ?? "demo");
            Directory.CreateDirectory(folder);
            var database = Path.Combine(folder, "demo.db");
            // A pooled connection would keep the old file alive under its deleted name.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" }) File.Delete(file);

            var switches = app.Switches.Concat([$"--Tracker:Database={database}", $"--Digest:OutputDirectory={folder}"]).ToList();
            using var demo = new CliApp(app.Shipped(SampleConfig), switches, app.Out, app.Error, app.BaseDirectory);
            await demo.SyncAccountsAsync(ct);
            var report = await demo.Get<ArchiveImporter>().ImportAsync(demo.Shipped(SamplePosts), "jsonl", null, ct);
            foreach (var error in report.Errors) await app.Error.WriteLineAsync($"warning: {error}");

            var zone = demo.Settings.TimeZone;
            var days = new Dictionary<DateOnly, int>();
            await foreach (var post in demo.Get<PostStore>().QueryAsync(new PostQuery(), ct))
            {
                var day = LocalDay.Of(post.Post.CreatedAt, zone);
                days[day] = days.GetValueOrDefault(day) + 1;
            }
            if (days.Count == 0) throw new InvalidOperationException($"the sample file {SamplePosts} holds no posts");
            var mainDay = days.MaxBy(d => d.Value).Key;
            var outcome = await demo.Get<DigestService>().RunAsync(new DigestRequest(mainDay, Configuration.DigestOptions.KnownFormats, folder), ct);

            app.Out.WriteLine($"demo: imported {report.Added} posts from {demo.Shipped(SamplePosts)} ({report.Lines} lines, {report.Errors.Count} bad) into {database}");
            app.Out.WriteLine($"      {demo.Settings.Tracker.Agencies.Count} agencies; posts per local day: {string.Join(", ", days.OrderBy(d => d.Key).Select(d => $"{d.Key:yyyy-MM-dd} {d.Value}"))}");
            DigestCommand.PrintOutcome(app.Out, outcome);
            app.Out.WriteLine($"done in {started.Elapsed.TotalSeconds:0.0} s. Open the HTML file in a browser. Next, for example:");
            app.Out.WriteLine($"  export --config {demo.ConfigFile} --Tracker:Database={database} --label condolence --format csv");
            app.Out.WriteLine($"  serve --config {demo.ConfigFile} --Tracker:Database={database}   (the dashboard on {app.Settings.Web.UrlList[0]}; the wave is on /incidents)");
            return TrackerCli.Success;
        });
        return command;
    }
}
