namespace SolidarityTracker.Cli;

/// <summary>`eval FILE [--mistakes N]`: the classifier against labelled JSONL, label by label, with its worst mistakes.</summary>
public static class EvalCommand
{
    public static Command Create(CliApp app)
    {
        var file = new Argument<string?>("FILE") { Description = "Labelled JSONL: {\"id\":…,\"text\":…,\"labels\":[…]} per line.", Arity = ArgumentArity.ZeroOrOne };
        var corrections = new Option<bool>("--corrections") { Description = "Score the classifier on the posts people corrected (what `corrections` prints) instead of a file." };
        var mistakes = new Option<int>("--mistakes") { Description = "How many of the worst mistakes to print (default 10).", DefaultValueFactory = _ => 10 };
        var history = new Option<bool>("--history") { Description = "Print the per-batch history of scores (docs/classifier-history.md as built in, or --history-file) instead of scoring a file." };
        var historyFile = new Option<string?>("--history-file") { Description = "The history Markdown file to read for --history (default: the copy built into the program)." };
        var record = new Option<string?>("--record") { Description = "After scoring FILE, append its row (date, batch, posts, classifier, untuned, F1s) to this history Markdown file." };
        var batch = new Option<string?>("--batch") { Description = "The batch name written by --record (default: FILE's name without .jsonl)." };
        var scored = new Option<string>("--scored") { Description = "What --record writes in the scored column: untuned (the classifier never saw the batch) or tuned.", DefaultValueFactory = _ => "untuned" };
        var fit = new Option<bool>("--fit-calibration") { Description = "Fit Platt scaling of the lexicon's scores on FILE (posts the lexicon was not tuned on) and print the @calibrate lines for lexicon.txt." };
        var command = new Command("eval", "Run the classifier on labelled JSONL and print per-label precision, recall, F1, confusion counts and macro-F1.");
        command.Arguments.Add(file);
        command.Options.Add(mistakes);
        command.Options.Add(corrections);
        command.Options.Add(history);
        command.Options.Add(historyFile);
        command.Options.Add(record);
        command.Options.Add(batch);
        command.Options.Add(scored);
        command.Options.Add(fit);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(history))
            {
                if (parse.GetValue(file) is not null || parse.GetValue(corrections) || parse.GetValue(record) is not null)
                    throw new BadInputException("eval --history prints the history: give no FILE, --corrections or --record with it");
                var historyPath = parse.GetValue(historyFile);
                await PrintHistory(app.Out, historyPath is null ? ClassifierHistory.Embedded() : ClassifierHistory.Read(historyPath));
                return TrackerCli.Success;
            }
            var recordPath = parse.GetValue(record);
            var scoredAs = parse.GetValue(scored)!;
            if (scoredAs is not ("untuned" or "tuned")) throw new BadInputException($"--scored {scoredAs}: expected untuned or tuned");
            if (recordPath is not null && !File.Exists(recordPath)) throw new BadInputException($"--record {recordPath}: file not found");
            var count = parse.GetValue(mistakes);
            if (count < 0) throw new BadInputException($"--mistakes {count}: must be 0 or more");
            var classifier = app.Get<IPostClassifier>();
            var path = parse.GetValue(file);
            List<LabelledPost> posts;
            if (parse.GetValue(corrections))
            {
                if (path is not null) throw new BadInputException($"eval: give FILE or --corrections, not both");
                posts = [];
                await foreach (var post in new Storage.LabelCorrections(app.Get<Storage.TrackerDatabase>()).AllAsync(ct))
                    posts.Add(new LabelledPost(post.Id, post.Text, post.Labels, posts.Count + 1));
                if (posts.Count == 0) throw new BadInputException("eval --corrections: no corrected post is stored yet (correct labels in the dashboard or with PUT /api/posts/…/labels)");
            }
            else
            {
                if (path is null) throw new BadInputException("eval needs FILE (labelled JSONL) or --corrections");
                // Read the whole file first, so a bad line fails before any figure is printed.
                posts = LabelledPosts.Read(path).ToList();
            }
            if (parse.GetValue(fit))
            {
                if (path is null) throw new BadInputException("--fit-calibration needs FILE (labelled posts the lexicon was not tuned on)");
                await FitCalibration(app.Out, posts);
                return TrackerCli.Success;
            }
            var report = Evaluation.Run(classifier, posts);
            await Print(app.Out, report, classifier.Version, count);
            await PrintReliability(app.Out, Calibration.Reliability(classifier, posts));
            if (recordPath is not null)
            {
                if (path is null) throw new BadInputException("--record needs FILE (a labelled batch), not --corrections");
                var name = parse.GetValue(batch) ?? Path.GetFileNameWithoutExtension(path);
                var row = ClassifierHistory.FromReport(name, classifier.Version, scoredAs, report, DateOnly.FromDateTime(app.Get<TimeProvider>().GetUtcNow().UtcDateTime));
                ClassifierHistory.Append(recordPath, row);
                await app.Out.WriteLineAsync($"recorded in {recordPath}: {ClassifierHistory.Format(row)}");
            }
            return TrackerCli.Success;
        });
        return command;
    }

    internal static async Task Print(TextWriter output, EvaluationReport report, string version, int mistakes)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync($"classifier {version}: {report.Posts} posts, {report.ExactMatches} with every label right ({report.ExactMatchRate.ToString("P1", c)})");
        await output.WriteLineAsync();
        await output.WriteLineAsync("label            precision  recall     f1  support     TP     FP     FN     TN");
        foreach (var l in report.PerLabel)
            await output.WriteLineAsync(string.Format(c, "{0,-15} {1,10:F3} {2,7:F3} {3,6:F3} {4,8} {5,6} {6,6} {7,6} {8,6}",
                l.Label, l.Precision, l.Recall, l.F1, l.Support, l.TruePositives, l.FalsePositives, l.FalseNegatives, l.TrueNegatives));
        await output.WriteLineAsync(string.Format(c, "macro-F1 {0:F3}", report.MacroF1));
        if (mistakes == 0 || report.Mistakes.Count == 0) return;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"worst mistakes ({Math.Min(mistakes, report.Mistakes.Count)} of {report.Mistakes.Count}):");
        foreach (var m in report.Mistakes.Take(mistakes))
        {
            var scores = string.Join(" ", Labels.All.Select(l => $"{Short(l)}={m.Result.Score(l).ToString("0.00", c)}"));
            await output.WriteLineAsync($"- {m.Post.Id} (line {m.Post.Line}): expected [{string.Join(",", m.Post.Labels)}] got [{string.Join(",", m.Result.Labels)}] {scores}");
            await output.WriteLineAsync($"  {OneLine(m.Post.Text)}");
            if (m.Result.Evidence.Count > 0)
                await output.WriteLineAsync($"  evidence: {string.Join("; ", m.Result.Evidence.Select(e => $"{Short(e.Label)} \"{e.Phrase}\" {e.Weight.ToString("+0.0;-0.0", c)}"))}");
        }
    }

    private static async Task FitCalibration(TextWriter output, List<LabelledPost> posts)
    {
        var c = CultureInfo.InvariantCulture;
        // Raw log-odds do not depend on the @calibrate lines already in the lexicon.
        var lexicon = new LexiconClassifier();
        var logits = posts.Select(p => { var z = new double[3]; lexicon.RawLogits(p.Text, z); return z; }).ToList();
        await output.WriteLineAsync($"# Platt scaling fitted on {posts.Count} posts");
        for (var i = 0; i < Labels.All.Count; i++)
        {
            var label = Labels.All[i];
            var (scale, shift) = Calibration.FitPlatt(logits.Select(z => z[i]).ToList(), posts.Select(p => p.Labels.Contains(label)).ToList());
            await output.WriteLineAsync(string.Format(c, "@calibrate {0} {1} {2}", label, scale, shift));
        }
    }

    internal static async Task PrintReliability(TextWriter output, IReadOnlyList<ReliabilityTable> tables)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync();
        await output.WriteLineAsync("reliability (score bin: posts, mean score, share with the label):");
        await output.WriteLineAsync("score      " + string.Join("  ", tables.Select(t => t.Label.PadRight(24))));
        for (var b = 0; b < tables[0].Bins.Count; b++)
        {
            var bin = tables[0].Bins[b];
            var cells = tables.Select(t => t.Bins[b]).Select(x => x.Posts == 0 ? "-".PadRight(24) : string.Format(c, "{0,5}  {1:F2} {2,4:F2}", x.Posts, x.MeanScore, x.Observed).PadRight(24));
            await output.WriteLineAsync(string.Format(c, "{0:F1}-{1:F1}    ", bin.From, bin.To) + string.Join("  ", cells));
        }
        await output.WriteLineAsync("brier      " + string.Join("  ", tables.Select(t => t.Brier.ToString("F4", c).PadRight(24))));
        await output.WriteLineAsync("ECE        " + string.Join("  ", tables.Select(t => t.ExpectedCalibrationError.ToString("F4", c).PadRight(24))));
    }

    internal static async Task PrintHistory(TextWriter output, IReadOnlyList<HistoryRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        static string F(double? v) => v is { } x ? x.ToString("F3", CultureInfo.InvariantCulture) : "-";
        var batchWidth = Math.Max(5, rows.Select(r => r.Batch.Length).DefaultIfEmpty(0).Max());
        var versionWidth = Math.Max(10, rows.Select(r => r.Classifier.Length).DefaultIfEmpty(0).Max());
        await output.WriteLineAsync(string.Format(c, "{0,-10}  {1}  {2,5}  {3}  {4,-7}  {5,8}  {6,10}  {7,8}  {8,15}", "date", "batch".PadRight(batchWidth), "posts",
            "classifier".PadRight(versionWidth), "scored", "macro-F1", "condolence", "memorial", "safety_reminder"));
        foreach (var r in rows)
            await output.WriteLineAsync(string.Format(c, "{0,-10}  {1}  {2,5}  {3}  {4,-7}  {5,8}  {6,10}  {7,8}  {8,15}", r.Date, r.Batch.PadRight(batchWidth), r.Posts,
                r.Classifier.PadRight(versionWidth), r.Scored, F(r.MacroF1), F(r.Condolence), F(r.Memorial), F(r.SafetyReminder)));
        await output.WriteLineAsync();
        await output.WriteLineAsync("untuned, by classifier (posts-weighted mean macro-F1, worst batch):");
        foreach (var g in rows.Where(r => r.Untuned).GroupBy(r => r.Classifier))
        {
            var worst = g.MinBy(r => r.MacroF1)!;
            var mean = g.Sum(r => r.MacroF1 * r.Posts) / g.Sum(r => r.Posts);
            await output.WriteLineAsync(string.Format(c, "  {0}  {1} batches, {2} posts, mean {3:F3}, worst {4:F3} ({5})", g.Key.PadRight(versionWidth), g.Count(), g.Sum(r => r.Posts), mean, worst.MacroF1, worst.Batch));
        }
    }

    private static string Short(string label) => label switch
    {
        Labels.Condolence => "c",
        Labels.Memorial => "m",
        _ => "s",
    };

    private static string OneLine(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 200 ? flat : flat[..197] + "...";
    }
}
