using System.Text.Json;
using SolidarityTracker.Classification;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Classification;

public sealed class CalibrationTests
{
    [Fact]
    public void Platt_scaling_recovers_the_scale_and_shift_that_generated_the_labels()
    {
        // Labels drawn with P(yes) = σ(2z − 1) over an even spread of z: the fit must find about (2, −1).
        var random = new Random(5);
        var logits = new List<double>();
        var positive = new List<bool>();
        for (var i = 0; i < 20_000; i++)
        {
            var z = random.NextDouble() * 8 - 4;
            logits.Add(z);
            positive.Add(random.NextDouble() < 1 / (1 + Math.Exp(-(2 * z - 1))));
        }
        var (scale, shift) = Calibration.FitPlatt(logits, positive);
        Assert.InRange(scale, 1.85, 2.15);
        Assert.InRange(shift, -1.15, -0.85);
    }

    [Fact]
    public void The_lexicons_scores_are_calibrated_and_its_default_thresholds_keep_its_own_decisions()
    {
        var lexicon = Lexicon.Embedded;
        Assert.All(Enumerable.Range(0, 3), i => Assert.NotEqual(1.0, lexicon.CalibrationScale[i]));
        var classifier = new LexiconClassifier();
        Span<double> z = stackalloc double[3];
        // For each label the default threshold sits where the calibrated score crosses raw log-odds 0.
        for (var i = 0; i < 3; i++)
        {
            var atZero = 1 / (1 + Math.Exp(-lexicon.CalibrationShift[i]));
            Assert.InRange(ClassifierThresholds.Default.ToArray()[i], atZero - 0.005, atZero + 0.005);
        }
        var result = classifier.Classify("Praying for Baton Rouge 🙏💙");
        classifier.RawLogits("Praying for Baton Rouge 🙏💙", z);
        var expected = 1 / (1 + Math.Exp(-(lexicon.CalibrationScale[0] * z[0] + lexicon.CalibrationShift[0])));
        Assert.Equal(Math.Round(expected, 3), result.Score(Labels.Condolence));
        Assert.Throws<FormatException>(() => Lexicon.Parse("@calibrate condolence -1 0\n", "bad.txt"));
        Assert.Throws<FormatException>(() => Lexicon.Parse("@calibrate grief 1 0\n", "bad.txt"));
    }

    [Fact]
    public async Task A_threshold_from_configuration_decides_the_label_and_a_bad_one_is_named_with_exit_2()
    {
        using var dir = new TestDirectory();
        const string text = "Our hearts go out to the people of Millbrook tonight.";
        var config = Config.Write(dir);
        var plain = await CliRunner.RunAsync("classify", "--config", config, text);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        var score = JsonDocument.Parse(plain.Output).RootElement.GetProperty("scores").GetProperty("condolence").GetDouble();

        // A threshold just under the post's score gives it the label; one just over takes it away.
        foreach (var (threshold, labelled) in new[] { (score - 0.01, true), (Math.Min(1, score + 0.01), false) })
        {
            var withThreshold = WithClassifier(dir, config, new Dictionary<string, object> { ["condolence"] = threshold });
            var result = await CliRunner.RunAsync("classify", "--config", withThreshold, text);
            Assert.True(result.ExitCode == 0, result.ToString());
            var labels = JsonDocument.Parse(result.Output).RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
            Assert.Equal(labelled, labels.Contains("condolence"));
        }

        var tooHigh = await CliRunner.RunAsync("check", "--config", WithClassifier(dir, config, new Dictionary<string, object> { ["memorial"] = 1.5 }));
        Assert.True(tooHigh.ExitCode == 2, tooHigh.ToString());
        Assert.Contains("Classifier:Thresholds:memorial", tooHigh.Error);
        Assert.Contains("must be between 0 and 1, not 1.5", tooHigh.Error);
        var unknown = await CliRunner.RunAsync("check", "--config", WithClassifier(dir, config, new Dictionary<string, object> { ["grief"] = 0.5 }));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Classifier:Thresholds:grief", unknown.Error);
        var notNumber = await CliRunner.RunAsync("check", "--config", WithClassifier(dir, config, new Dictionary<string, object> { ["safety_reminder"] = "high" }));
        Assert.Equal(2, notNumber.ExitCode);
        Assert.Contains("Classifier:Thresholds:safety_reminder", notNumber.Error);
    }

    [Fact]
    public async Task Eval_prints_a_reliability_table_with_brier_score_and_calibration_error_per_label()
    {
        using var dir = new TestDirectory();
        var result = await CliRunner.RunAsync("eval", "--config", Config.Write(dir), RepositoryRoot.File("tests", "SolidarityTracker.Tests", "testdata", "labels", "test.jsonl"), "--mistakes", "0");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("reliability (score bin: posts, mean score, share with the label):", result.Output);
        Assert.Matches(@"0\.9-1\.0\s+\d+\s+0\.\d\d\s+[01]\.\d\d", result.Output);
        Assert.Matches(@"brier\s+0\.0\d{3}\s+0\.0\d{3}\s+0\.0\d{3}", result.Output);
        Assert.Matches(@"ECE\s+0\.\d{4}", result.Output);
    }

    private static string WithClassifier(TestDirectory dir, string config, Dictionary<string, object> thresholds)
    {
        var root = JsonSerializer.Deserialize<Dictionary<string, object>>(File.ReadAllText(config))!;
        root["Classifier"] = new { Thresholds = thresholds };
        return dir.Write($"thresholds-{Guid.NewGuid():N}.config.json", JsonSerializer.Serialize(root));
    }
}
