namespace SolidarityTracker.Cli;

/// <summary>`corrections [--format jsonl]`: the posts whose labels a person corrected, as labelled JSONL (id, text, labels) that `eval` reads.</summary>
public static class CorrectionsCommand
{
    public static readonly IReadOnlyList<string> Formats = ["jsonl"];

    public static Command Create(CliApp app)
    {
        var format = CliOptions.Text("--format", "jsonl (default): {\"id\":\"platform:post_id\",\"text\":…,\"labels\":[…],\"corrected_by\":…,\"corrected_at\":…} per line.");
        var foldInto = new Option<string?>("--fold-into") { Description = "Append the corrected posts to this labelled JSONL file (train.jsonl) instead of printing them: no duplicate ids or texts; a post already there with other labels takes the corrected ones." };
        var exclude = new Option<string[]>("--exclude") { Description = "Labelled JSONL whose texts must not be folded in (the test split); repeatable.", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };
        var command = new Command("corrections", "Print the posts whose labels were corrected (dashboard or API), newest correction of each, as labelled JSONL for `eval`, or fold them into training data.") { format, foldInto, exclude };
        command.SetAction(async (parse, ct) =>
        {
            CliOptions.ParseChoice(parse.GetValue(format), "--format", Formats, "jsonl");
            var target = parse.GetValue(foldInto);
            if (target is not null)
            {
                var excluded = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in parse.GetValue(exclude) ?? [])
                    foreach (var post in Classification.LabelledPosts.Read(file)) excluded.Add(post.Text);
                // Read the target first, so a bad line fails before anything is written.
                _ = Classification.LabelledPosts.Read(target).Count();
                var corrected = new List<CorrectedPost>();
                await foreach (var post in new LabelCorrections(app.Get<TrackerDatabase>()).AllAsync(ct)) corrected.Add(post);
                var result = Classification.TrainingData.FoldIn(target, corrected, excluded);
                await app.Out.WriteLineAsync($"{target}: {result.Added} added, {result.Updated} updated with the corrected labels, {result.AlreadyThere} already there, {result.Excluded} skipped (in an --exclude file); {corrected.Count} corrections stored");
                return TrackerCli.Success;
            }
            if (parse.GetValue(exclude) is { Length: > 0 }) throw new BadInputException("--exclude goes with --fold-into");
            await foreach (var post in new LabelCorrections(app.Get<TrackerDatabase>()).AllAsync(ct))
                await app.Out.WriteLineAsync(Line(post));
            return TrackerCli.Success;
        });
        return command;
    }

    public static string Line(CorrectedPost post) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = post.Id,
        ["text"] = post.Text,
        ["labels"] = post.Labels,
        ["corrected_by"] = post.By,
        ["corrected_at"] = Export.ExportColumns.Timestamp(post.At),
    }, SolidarityTracker.Text.Utf8Json.SerializerOptions);
}
