using System.Text.Json.Nodes;
using SolidarityTracker.Import;

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
        var output = CliOptions.Text("--out", "Folder for the demo's configuration, database and digests (default: ./demo; made when missing, its parent must exist).");
        var command = new Command("demo",
            "Import the bundled sample wave into a fresh database and render its digest in every format. Writes DIR/demo.config.json " +
            "(the sample agencies, the demo's database and digest folder) and prints next commands that use it.") { output };
        command.SetAction(async (parse, ct) =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var folder = OutputPath.CheckFolder(parse.GetValue(output) ?? "demo", "--out", mkdir: false, makeLast: true);
            var database = Path.Combine(folder, "demo.db");
            // A pooled connection would keep the old file alive under its deleted name.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" }) File.Delete(file);
            var config = WriteConfig(app.Shipped(SampleConfig), folder, database);

            // The demo's own places win over a --Tracker:Database the user gave: this database is the one just emptied.
            var switches = app.Switches.Concat([$"--Tracker:Database={database}", $"--Digest:OutputDirectory={folder}"]).ToList();
            using var demo = new CliApp(config, switches, app.Out, app.Error, app.BaseDirectory);
            await demo.SyncAccountsAsync(ct, noteIfEmpty: false);
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

            app.Out.WriteLine($"demo: imported {report.Added} posts from the bundled {SamplePosts} ({report.Lines} lines, {report.Errors.Count} bad) into {Shown(database)}");
            app.Out.WriteLine($"      {demo.Settings.Tracker.Agencies.Count} agencies; posts per local day: {string.Join(", ", days.OrderBy(d => d.Key).Select(d => $"{d.Key:yyyy-MM-dd} {d.Value}"))}");
            DigestCommand.PrintOutcome(app.Out, outcome, Shown);
            app.Out.WriteLine($"      configuration: {Shown(config)} (the sample agencies, this database, this folder for digests)");
            app.Out.WriteLine($"done in {started.Elapsed.TotalSeconds:0.0} s. Open the HTML file in a browser. Next, from this folder:");
            var run = Invocation();
            var with = $"--config {Shown(config)}";
            app.Out.WriteLine($"  {run} status {with}");
            app.Out.WriteLine($"  {run} export {with} --label condolence --format csv --out {Shown(Path.Combine(folder, "condolences.csv"))}");
            app.Out.WriteLine($"  {run} roundup {with} --from {days.Keys.Min():yyyy-MM-dd} --to {days.Keys.Max():yyyy-MM-dd} --query Millbrook --format md");
            app.Out.WriteLine($"  {run} serve {with}   (the dashboard on {app.Settings.Web.UrlList[0]}; the wave is on /incidents)");
            return TrackerCli.Success;
        });
        return command;
    }

    /// <summary>
    /// DIR/demo.config.json: the bundled sample configuration with the demo's own database and digest folder, so every
    /// later command given `--config` with it opens the demo's data (and not ./solidarity.db).
    /// </summary>
    private static string WriteConfig(string sample, string folder, string database)
    {
        var root = JsonNode.Parse(File.ReadAllText(sample))!.AsObject();
        var tracker = root["Tracker"] as JsonObject ?? throw new InvalidOperationException($"{sample}: no Tracker section");
        tracker["Database"] = database;
        var digest = root["Digest"] as JsonObject ?? [];
        digest["OutputDirectory"] = folder;
        root["Digest"] = digest;
        return AtomicFile.WriteAllText(Path.Combine(folder, "demo.config.json"), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>A path as the user can type it from the current folder: relative when it is under it, else whole.</summary>
    internal static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    /// <summary>How to run this program again from the current folder: `dotnet run --project …` in a checkout, else the program's name.</summary>
    internal static string Invocation()
    {
        var project = Path.Combine("src", "SolidarityTracker", "SolidarityTracker.csproj");
        return File.Exists(project) ? "dotnet run --project src/SolidarityTracker --" : "SolidarityTracker";
    }
}
