using SolidarityTracker.Classification;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Classification;

public sealed class ClassifierHistoryTests
{
    [Fact]
    public async Task Eval_history_prints_every_batch_row_of_the_docs_history_with_a_summary_per_classifier()
    {
        using var dir = new TestDirectory();
        var docs = ClassifierHistory.Read(Path.Combine(RepositoryRoot.Path, "docs", "classifier-history.md"));
        Assert.Contains(docs, r => r is { Batch: "2026-12-07-spanish", Scored: "untuned", MacroF1: 0.674, SafetyReminder: 0.455 });

        var result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), "--history");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"2026-12-07\s+2026-12-07-spanish\s+62\s+lexicon-2\.4d75c7ab\s+untuned\s+0\.674\s+0\.818\s+0\.750\s+0\.455", result.Output);
        Assert.Matches(@"2026-12-07\s+round2\s+108\s+lexicon-1\s+untuned\s+0\.780\s+-\s+-\s+-", result.Output);
        foreach (var row in docs) Assert.Contains(row.Batch, result.Output);
        Assert.Contains("untuned, by classifier", result.Output);
        Assert.Matches(@"lexicon-2\.4d75c7ab\s+6 batches, 372 posts, mean 0\.79\d, worst 0\.674 \(2026-12-07-spanish\)", result.Output);
    }

    [Fact]
    public async Task Eval_record_appends_the_batch_row_to_the_history_table_and_a_bad_row_names_its_line()
    {
        using var dir = new TestDirectory();
        var history = dir.Write("history.md", "# History\n\n" + ClassifierHistory.Header + "\n|---|---|---|---|---|---|---|---|---|\n"
            + "| 2026-01-01 | old | 10 | lexicon-1 | untuned | 0.500 | | | |\n\nNotes after the table.\n");
        var batch = dir.Write("fresh-batch.jsonl", string.Join('\n',
            """{"id":1,"text":"Praying for Baton Rouge 🙏💙","labels":["condolence"]}""",
            """{"id":2,"text":"Avoid the area of Main St.","labels":["safety_reminder"]}"""));

        var result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), batch, "--record", history, "--mistakes", "0");
        Assert.True(result.ExitCode == 0, result.ToString());

        var rows = ClassifierHistory.Read(history);
        Assert.Equal(2, rows.Count);
        Assert.Equal("fresh-batch", rows[1].Batch);
        Assert.Equal(2, rows[1].Posts);
        Assert.True(rows[1].Untuned);
        Assert.Equal(1.0, rows[1].Condolence);
        Assert.EndsWith("Notes after the table.\n", File.ReadAllText(history));

        result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), "--history", "--history-file", history);
        Assert.Matches(@"fresh-batch\s+2\s+lexicon", result.Output);

        File.AppendAllText(history, "");
        File.WriteAllText(history, File.ReadAllText(history).Replace("| 0.500 |", "| 1.5 |"));
        result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), "--history", "--history-file", history);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{history}:5: \"1.5\" is not a score between 0 and 1", result.Error);
    }
}

public sealed class LabelProtocolTests
{
    [Fact]
    public void Every_batch_in_the_batches_folder_has_an_untuned_row_in_the_history_with_its_post_count()
    {
        var labels = RepositoryRoot.File("tests", "SolidarityTracker.Tests", "testdata", "labels");
        var history = ClassifierHistory.Read(RepositoryRoot.File("docs", "classifier-history.md"));
        foreach (var file in Directory.GetFiles(Path.Combine(labels, "batches"), "*.jsonl"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var posts = LabelledPosts.Read(file).ToList();
            Assert.True(posts.Count >= 60, $"{name}: {posts.Count} posts");
            var untuned = history.Where(r => r.Batch == name && r.Untuned).ToList();
            Assert.True(untuned.Count > 0, $"{name} is in batches/ but has no untuned row in docs/classifier-history.md");
            Assert.All(untuned, r => Assert.Equal(posts.Count, r.Posts));
        }
    }
}
