using Microsoft.Data.Sqlite;
using SolidarityTracker.Classification;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Classification;

public sealed class ReclassifyCommandTests
{
    private static Post NewPost(string id, string text, int minute) => new()
    {
        Platform = Platforms.All[0],
        PostId = id,
        Account = "oakmontpd",
        AgencyId = "oakmont",
        CreatedAt = new DateTimeOffset(2016, 7, 17, 12, minute, 0, TimeSpan.Zero),
        Text = text,
    };

    private static async Task<string> SeedAsync(TestDirectory dir)
    {
        var config = Config.Write(dir);
        var store = new PostStore(new TrackerDatabase(dir.File("tracker.db")));
        var posts = new[]
        {
            NewPost("1", "Our badge wears a mourning band in honor of the officers killed in Baton Rouge.", 1),
            NewPost("2", "Memorial Day SALE at the thrift store!", 2),
            NewPost("3", "Praying for Baton Rouge 🙏💙", 3),
        };
        // What an older classifier said: nothing for the first, a wrong memorial for the sale, the right label for the third.
        var old = new[]
        {
            ClassificationResult.None("placeholder-0"),
            new ClassificationResult([Labels.Memorial], new Dictionary<string, double> { [Labels.Memorial] = 0.9 }, [], "placeholder-0"),
            new ClassificationResult([Labels.Condolence], new Dictionary<string, double> { [Labels.Condolence] = 0.9 }, [], "placeholder-0"),
        };
        await store.ImportAsync(posts, old, new Dictionary<string, Agency> { ["oakmont"] = new("oakmont", "Oakmont PD", "CT") }, DateTimeOffset.UtcNow);
        return config;
    }

    private static List<(string PostId, string Labels, string Version, double Memorial)> Stored(TestDirectory dir)
    {
        using var connection = new SqliteConnection($"Data Source={dir.File("tracker.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT p.post_id, c.labels, c.classifier_version, c.memorial_score FROM posts p JOIN classifications c ON c.post_id = p.id ORDER BY p.post_id";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, string, double)>();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3)));
        return rows;
    }

    [Fact]
    public async Task Reclassify_rewrites_every_stored_post_with_the_current_version_and_counts_the_changes()
    {
        using var dir = new TestDirectory();
        var config = await SeedAsync(dir);

        var result = await CliRunner.RunAsync("reclassify", "--config", config, "--batch", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var version = new LexiconClassifier().Version;
        Assert.Contains($"reclassified 3 posts with {version}: 2 changed labels, 0 already current", result.Output);
        Assert.Contains("memorial: +1 -1", result.Output);
        Assert.Contains("reclassify: 2/3 posts", result.Error);
        Assert.Contains("reclassify: 3/3 posts", result.Error);
        var rows = Stored(dir);
        Assert.Equal(["memorial", "", "condolence"], rows.Select(r => r.Labels));
        Assert.All(rows, r => Assert.Equal(version, r.Version));
        Assert.True(rows[0].Memorial >= 0.5);
    }

    [Fact]
    public async Task Reclassify_outdated_skips_posts_the_current_version_already_labelled()
    {
        using var dir = new TestDirectory();
        var config = await SeedAsync(dir);
        Assert.Equal(0, (await CliRunner.RunAsync("reclassify", "--config", config)).ExitCode);

        var again = await CliRunner.RunAsync("reclassify", "--config", config, "--outdated");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("reclassified 0 posts", again.Output);
        Assert.Contains("0 changed labels, 3 already current", again.Output);
    }

    [Fact]
    public async Task Reclassify_with_a_bad_batch_size_is_bad_input()
    {
        using var dir = new TestDirectory();
        var result = await CliRunner.RunAsync("reclassify", "--config", Config.Write(dir), "--batch", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--batch 0", result.Error);
    }
}
