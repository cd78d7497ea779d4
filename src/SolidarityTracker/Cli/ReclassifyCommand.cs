namespace SolidarityTracker.Cli;

/// <summary>
/// `reclassify [--batch N] [--outdated]`: the current classifier over stored posts, streamed oldest first and
/// written back one transaction per batch, with its version on every row. Prints how many posts changed labels.
/// </summary>
public static class ReclassifyCommand
{
    public static Command Create(CliApp app)
    {
        var batch = new Option<int>("--batch") { Description = "Posts per transaction (default 500).", DefaultValueFactory = _ => 500 };
        var outdated = new Option<bool>("--outdated") { Description = "Only posts classified by another classifier version." };
        var command = new Command("reclassify", "Run the current classifier over stored posts; prints how many changed labels.");
        command.Options.Add(batch);
        command.Options.Add(outdated);
        command.SetAction(async (parse, ct) =>
        {
            var size = parse.GetValue(batch);
            if (size < 1) throw new BadInputException($"--batch {size}: must be 1 or more");
            var reclassifier = new Reclassifier(app.Get<PostStore>(), app.Get<IPostClassifier>(), app.Get<TimeProvider>());
            var progress = new ProgressLine(app.Error, "reclassify");
            var summary = await reclassifier.RunAsync(size, parse.GetValue(outdated), (done, total) => progress.Report($"{done}/{total} posts"), ct);
            progress.Done();
            await app.Out.WriteLineAsync($"reclassified {summary.Posts} posts with {reclassifier.Version}: {summary.Changed} changed labels, {summary.Skipped} already current");
            foreach (var label in Labels.All)
            {
                var (gained, lost) = summary.ByLabel[label];
                if (gained + lost > 0) await app.Out.WriteLineAsync($"  {label}: +{gained} -{lost}");
            }
            return TrackerCli.Success;
        });
        return command;
    }
}
