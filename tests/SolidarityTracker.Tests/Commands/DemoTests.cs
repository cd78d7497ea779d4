using System.Text.Json;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_imports_the_sample_wave_into_a_fresh_database_and_renders_its_main_day_in_every_format()
    {
        using var dir = new TestDirectory();

        var first = await CliRunner.RunAsync("demo", "--out", dir.Path);
        var second = await CliRunner.RunAsync("demo", "--out", dir.Path);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("imported 253 posts", first.Output);
        // A fresh database each time: the second run imports everything again rather than finding it stored.
        Assert.Contains("imported 253 posts", second.Output);
        Assert.Contains("digest 2026-05-13: 131 posts", first.Output);
        foreach (var format in new[] { "html", "md", "txt" })
            Assert.True(File.Exists(Path.Combine(dir.Path, $"digest-2026-05-13.{format}")), format);
        var html = File.ReadAllText(Path.Combine(dir.Path, "digest-2026-05-13.html"));
        Assert.Contains("Millbrook", html);
        Assert.Contains("href=\"https://", html);
        // The sample holds hostile markup in post text; none of it survives as markup.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror=alert", html.Replace("onerror=alert(1)&gt;", ""), StringComparison.OrdinalIgnoreCase);
        // Most mentioned places: places, not the offices and titles the sample also names.
        var places = Assert.Single(File.ReadAllLines(Path.Combine(dir.Path, "digest-2026-05-13.txt")), l => l.TrimStart().StartsWith("Places:"));
        Assert.Contains("Millbrook", places);
        Assert.Contains("Harmon County", places);
        foreach (var notAPlace in new[] { "Coroner", "Governor", "Pennsylvania State", "Office" })
            Assert.DoesNotContain(notAPlace, places);
    }

    [Fact]
    public async Task Demo_writes_its_own_configuration_and_its_next_commands_open_the_demo_data()
    {
        using var dir = new TestDirectory();

        var demo = await CliRunner.RunAsync("demo", "--out", dir.Path);

        Assert.True(demo.ExitCode == 0, demo.ToString());
        var config = dir.File("demo.config.json");
        using (var written = JsonDocument.Parse(File.ReadAllText(config)))
        {
            Assert.Equal(dir.File("demo.db"), written.RootElement.GetProperty("Tracker").GetProperty("Database").GetString());
            Assert.Equal(dir.Path, written.RootElement.GetProperty("Digest").GetProperty("OutputDirectory").GetString());
        }
        // Nothing points into the build output: the next commands name the demo's configuration.
        Assert.DoesNotContain($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", demo.Output);
        var next = NextCommands(demo.Output);
        Assert.Equal(["status", "export", "roundup", "serve"], next.Select(c => c[0]));
        Assert.All(next, c => Assert.Equal(["--config", config], c[1..3]));

        var status = await CliRunner.RunAsync([.. next[0], "--format", "json"]);
        var export = await CliRunner.RunAsync(next[1]);
        var roundup = await CliRunner.RunAsync(next[2]);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("", status.Error);
        // Every sample post came from a configured account, and status counts them per account.
        var accounts = JsonDocument.Parse(status.Output).RootElement.GetProperty("accounts").EnumerateArray().ToList();
        Assert.Equal(253, accounts.Sum(a => a.GetProperty("posts").GetInt64()));
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(File.Exists(dir.File("condolences.csv")));
        Assert.True(roundup.ExitCode == 0, roundup.ToString());
        Assert.Contains("Millbrook", roundup.Output);
    }

    [Fact]
    public async Task From_a_checkout_demo_prints_dotnet_run_commands_with_paths_relative_to_it_that_work()
    {
        using var dir = new TestDirectory();
        // A checkout's layout, as far as the demo looks: the project file where `dotnet run --project` expects it.
        dir.Write(Path.Combine("src", "SolidarityTracker", "SolidarityTracker.csproj"), "<Project />");

        using (var demo = ChildProgram.StartIn(dir.Path, "demo"))
        {
            Assert.Equal(0, await demo.WaitAsync(TimeSpan.FromSeconds(120)));
            Assert.Contains("  dotnet run --project src/SolidarityTracker -- status --config demo/demo.config.json\n", demo.Output);
            Assert.Contains("  demo/digest-2026-05-13.html\n", demo.Output);
            Assert.True(File.Exists(dir.File("demo/demo.db")));
        }
        using var status = ChildProgram.StartIn(dir.Path, "status", "--config", "demo/demo.config.json");
        Assert.Equal(0, await status.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("millbrook-pd", status.Output);
        Assert.DoesNotContain("note:", status.Output);
        // No other database was opened beside the demo's.
        Assert.False(File.Exists(dir.File("solidarity.db")));
    }

    [Fact]
    public async Task A_command_opening_a_database_with_no_agencies_and_no_posts_says_so_in_one_line()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);

        var status = await CliRunner.RunAsync("status", "--config", config);
        var export = await CliRunner.RunAsync("export", "--config", config);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal($"note: the database {dir.File("tracker.db")} (Tracker:Database) has no agencies and no posts", status.Error.Trim());
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Single(export.Error.Trim().Split('\n'));
    }

    /// <summary>The commands the demo suggests, as arguments (the part after the program), without the trailing remark.</summary>
    private static List<string[]> NextCommands(string output) => output.Split('\n')
        .SkipWhile(l => !l.Contains("Next, from this folder:"))
        .Skip(1)
        .Where(l => l.StartsWith("  ", StringComparison.Ordinal))
        .Select(l => l.Trim().Split("   (")[0])
        .Select(l => l.Replace("dotnet run --project src/SolidarityTracker -- ", "").Replace("SolidarityTracker ", ""))
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToList();
}
