using SolidarityTracker.Classification;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Classification;

public sealed class CorrectionsFoldInTests
{
    [Fact]
    public async Task Corrections_fold_into_the_training_file_once_each_update_a_changed_post_and_never_take_a_test_post()
    {
        using var world = new DigestWorld();
        var memorial = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Our badges wear a mourning band tonight for Officer Reyes.");
        var reminder = world.Post("oakmont-pd", Utc("2026-05-13T13:00:00Z"), "Lock your cars tonight, folks.");
        var changed = world.Post("oakmont-pd", Utc("2026-05-13T14:00:00Z"), "Flags fly at half-staff today.");
        var inTest = world.Post("hamden-pd", Utc("2026-05-13T15:00:00Z"), "Praying for Baton Rouge 🙏💙");
        await world.AddAsync((memorial, [Labels.Condolence]), (reminder, []), (changed, []), (inTest, []));
        var corrections = new LabelCorrections(world.Database);
        var now = Utc("2026-05-14T09:00:00Z");
        await corrections.CorrectAsync("x", memorial.PostId, [Labels.Memorial], "Sgt. Example", now);
        await corrections.CorrectAsync("x", reminder.PostId, [Labels.SafetyReminder], "Sgt. Example", now);
        await corrections.CorrectAsync("x", changed.PostId, [Labels.Memorial], "Sgt. Example", now);
        await corrections.CorrectAsync("x", inTest.PostId, [Labels.Condolence], "Sgt. Example", now);

        var train = world.Dir.Write("train.jsonl",
            TrainingData.Line("old-1", "Avoid the area of Main St.", [Labels.SafetyReminder]) + "\n"
            + TrainingData.Line($"x:{changed.PostId}", changed.Text, []) + "\n");
        var test = world.Dir.Write("test.jsonl", TrainingData.Line("t-1", inTest.Text, [Labels.Condolence]) + "\n");

        var first = await CliRunner.RunAsync("corrections", "--config", world.ConfigFile, "--fold-into", train, "--exclude", test);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("2 added, 1 updated with the corrected labels, 0 already there, 1 skipped (in an --exclude file); 4 corrections stored", first.Output);
        var posts = LabelledPosts.Read(train).ToList();
        Assert.Equal(["old-1", $"x:{changed.PostId}", $"x:{memorial.PostId}", $"x:{reminder.PostId}"], posts.Select(p => p.Id));
        Assert.Equal([Labels.Memorial], posts[1].Labels);
        Assert.Equal([Labels.Memorial], posts[2].Labels);
        Assert.DoesNotContain(posts, p => p.Text == inTest.Text);

        var again = await CliRunner.RunAsync("corrections", "--config", world.ConfigFile, "--fold-into", train, "--exclude", test);
        Assert.Contains("0 added, 0 updated with the corrected labels, 3 already there, 1 skipped", again.Output);
        Assert.Equal(4, LabelledPosts.Read(train).Count());

        var bad = await CliRunner.RunAsync("corrections", "--config", world.ConfigFile, "--fold-into", world.Dir.File("missing.jsonl"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("missing.jsonl: file not found", bad.Error);
    }
}
