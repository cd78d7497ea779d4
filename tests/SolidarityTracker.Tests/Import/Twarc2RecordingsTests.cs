using System.Text.Json;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Import;

/// <summary>
/// The twarc2 import on real X API v2 recordings (testdata/x/twarc-csv, from DocNow/twarc-csv): every post stored,
/// every text exactly what expected-texts.json says, every repost flagged. The import maps posts with the mapping
/// polling uses, so this holds for live X posts too.
/// </summary>
public sealed class Twarc2RecordingsTests : IDisposable
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "testdata", "x", "twarc-csv");
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int, int> Recordings => new()
    {
        // file, posts, reposts
        { "brexit.jsonl", 100, 67 },
        { "kpop.jsonl", 100, 78 },
        { "edited.jsonl", 1, 0 },
        { "quoted_edit.jsonl", 1, 0 },
        { "two_tweets.jsonl", 1, 1 },
        { "mentions_tweet.jsonl", 1, 1 },
        { "geo_tweets.jsonl", 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Recordings))]
    public async Task Every_post_of_a_real_recording_is_stored_with_its_exact_text(string file, int posts, int reposts)
    {
        var config = Config.Write(_dir, agencies: Array.Empty<object>());
        var result = await CliRunner.RunAsync(["import", Path.Combine(Folder, file), "--format", "twarc2", "--config", config]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{posts} added, 0 updated, 0 unchanged", result.Output);
        var expected = Expected(file);
        Assert.Equal(posts, expected.Count);
        var stored = StoredRows.Query(_dir.File("tracker.db"), "SELECT post_id, text, is_repost FROM posts");
        Assert.Equal(posts, stored.Count);
        Assert.Equal(reposts, stored.Count(r => (long)r["is_repost"]! == 1));
        foreach (var row in stored)
            Assert.True(expected.TryGetValue((string)row["post_id"]!, out var text) && text == (string)row["text"]!,
                $"{file}: post {row["post_id"]} stored as\n{row["text"]}\nexpected\n{text}");
    }

    [Fact]
    public void The_kept_recordings_have_escaped_text_reposts_and_errors_worth_testing()
    {
        // Guards the sample itself: were these features missing, the test above would prove nothing about them.
        var lines = Recordings.Select(r => (string)r[0]).SelectMany(f => File.ReadLines(Path.Combine(Folder, f))).ToList();
        Assert.Contains(lines, l => l.Contains("&amp;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"errors\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"edit_history_tweet_ids\"", StringComparison.Ordinal));
        var all = Recordings.Select(r => Expected((string)r[0])).SelectMany(e => e.Values).ToList();
        Assert.Contains(all, t => t.Contains('&') && !t.Contains("&amp;", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Expected(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected-texts.json")));
        return json.RootElement.GetProperty(file).GetProperty("posts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
