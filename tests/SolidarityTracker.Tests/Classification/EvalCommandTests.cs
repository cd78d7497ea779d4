using SolidarityTracker.Classification;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Classification;

public sealed class EvalCommandTests
{
    [Fact]
    public async Task Eval_prints_per_label_figures_confusion_counts_macro_F1_and_the_worst_mistakes()
    {
        using var dir = new TestDirectory();
        var file = dir.Write("labelled.jsonl", string.Join('\n',
            """{"id":1,"text":"Praying for Baton Rouge 🙏💙","labels":["condolence"]}""",
            """{"id":2,"text":"Avoid the area of Main St.","labels":["safety_reminder"]}""",
            """{"id":3,"text":"Memorial Drive is closed.","labels":[]}""",
            """{"id":"wrong","text":"Avoid the area of Main St.","labels":["memorial"]}"""));
        var result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("4 posts, 3 with every label right", result.Output);
        Assert.Matches(@"condolence\s+1\.000\s+1\.000\s+1\.000\s+1\s+1\s+0\s+0\s+3", result.Output);
        Assert.Matches(@"memorial\s+1\.000\s+0\.000\s+0\.000\s+1\s+0\s+0\s+1\s+3", result.Output);
        Assert.Matches(@"safety_reminder\s+0\.500\s+1\.000\s+0\.667\s+1\s+1\s+1\s+0\s+2", result.Output);
        Assert.Contains("macro-F1 0.556", result.Output);
        Assert.Contains("- wrong (line 4): expected [memorial] got [safety_reminder]", result.Output);
        // The evidence quotes the post's own words.
        Assert.Contains("s \"Avoid the area\" +4.0", result.Output);
    }

    [Fact]
    public async Task Eval_of_a_bad_file_names_the_file_and_line_and_exits_2()
    {
        using var dir = new TestDirectory();
        var file = dir.Write("bad.jsonl", "{\"id\":1,\"text\":\"ok\",\"labels\":[]}\n{\"id\":2,\"text\":\"x\",\"labels\":[\"grief\"]}\n");
        var result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), file);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:2: unknown label \"grief\"", result.Error);

        var notJson = dir.Write("notjson.jsonl", "{\"id\":1,\"text\":\"ok\",\"labels\":[]}\n\n{oops\n");
        result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), notJson);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{notJson}:3: not JSON", result.Error);

        result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), dir.File("none.jsonl"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("none.jsonl: file not found", result.Error);
    }
}

/// <summary>
/// The quality gate: the held-out split must keep macro-F1 >= 0.92 and every label's F1 >= 0.88.
/// Figures, not timings; the lexicon was tuned on train.jsonl only.
/// </summary>
public sealed class ClassifierQualityTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "testdata", "labels", name);

    [Fact]
    public void The_held_out_test_split_meets_the_quality_targets()
    {
        var report = Evaluation.Run(new LexiconClassifier(), LabelledPosts.Read(Data("test.jsonl")));
        Assert.True(report.MacroF1 >= 0.92, $"macro-F1 {report.MacroF1:F3}");
        foreach (var label in report.PerLabel)
            Assert.True(label.F1 >= 0.88, $"{label.Label} F1 {label.F1:F3}");
    }

    [Fact]
    public void The_train_split_fits_at_least_as_well_as_the_targets()
    {
        var report = Evaluation.Run(new LexiconClassifier(), LabelledPosts.Read(Data("train.jsonl")));
        Assert.True(report.MacroF1 >= 0.92, $"macro-F1 {report.MacroF1:F3}");
    }

    [Fact]
    public void The_labelled_data_is_large_varied_and_split_without_overlap()
    {
        var train = LabelledPosts.Read(Data("train.jsonl")).ToList();
        var test = LabelledPosts.Read(Data("test.jsonl")).ToList();
        var all = train.Concat(test).ToList();
        Assert.True(all.Count >= 800, $"{all.Count} posts");
        Assert.Empty(train.Select(p => p.Id).Intersect(test.Select(p => p.Id)));
        Assert.Empty(train.Select(p => p.Text).Intersect(test.Select(p => p.Text)));
        Assert.Equal(all.Count, all.Select(p => p.Text).Distinct().Count());
        Assert.True(all.Count(p => p.Labels.Count == 0) * 3 >= all.Count, "at least a third with no label");
        // The first writing was split 75/25; the later rounds and batches (scored untuned first) went to train only.
        var batches = Directory.GetFiles(Data("batches"), "*.jsonl").SelectMany(LabelledPosts.Read).Select(p => p.Id).ToHashSet();
        Assert.Empty(test.Select(p => p.Id).Intersect(batches));
        var firstWriting = all.Count(p => !p.Id.StartsWith("round", StringComparison.Ordinal) && !batches.Contains(p.Id));
        Assert.InRange(test.Count / (double)firstWriting, 0.2, 0.3);
        Assert.DoesNotContain(test, p => p.Id.StartsWith("round", StringComparison.Ordinal));
        foreach (var label in Labels.All) Assert.True(test.Count(p => p.Labels.Contains(label)) >= 40, label);
        Assert.Contains(all, p => p.Labels.Count == 3);
        Assert.True(all.Count(p => p.Text.StartsWith("RT @", StringComparison.Ordinal)) >= 10);
        Assert.True(all.Count(p => p.Text.StartsWith('@')) >= 10);
        Assert.True(all.Count(p => p.Text.Contains("http", StringComparison.Ordinal)) >= 10);
        Assert.True(all.Count(p => p.Id.StartsWith("es_fr-", StringComparison.Ordinal)) >= 90);
    }
}
