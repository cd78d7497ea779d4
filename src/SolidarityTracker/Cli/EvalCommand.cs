using System.CommandLine;
using System.Globalization;
using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;

namespace SolidarityTracker.Cli;

/// <summary>`eval FILE [--mistakes N]`: the classifier against labelled JSONL, label by label, with its worst mistakes.</summary>
public static class EvalCommand
{
    public static Command Create(CliApp app)
    {
        var file = new Argument<string?>("FILE") { Description = "Labelled JSONL: {\"id\":…,\"text\":…,\"labels\":[…]} per line.", Arity = ArgumentArity.ZeroOrOne };
        var corrections = new Option<bool>("--corrections") { Description = "Score the classifier on the posts people corrected (what `corrections` prints) instead of a file." };
        var mistakes = new Option<int>("--mistakes") { Description = "How many of the worst mistakes to print (default 10).", DefaultValueFactory = _ => 10 };
        var command = new Command("eval", "Run the classifier on labelled JSONL and print per-label precision, recall, F1, confusion counts and macro-F1.");
        command.Arguments.Add(file);
        command.Options.Add(mistakes);
        command.Options.Add(corrections);
        command.SetAction(async (parse, ct) =>
        {
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
            var report = Evaluation.Run(classifier, posts);
            await Print(app.Out, report, classifier.Version, count);
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
