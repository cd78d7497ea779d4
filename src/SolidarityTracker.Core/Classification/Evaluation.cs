namespace SolidarityTracker.Classification;

/// <summary>One line of labelled JSONL: {"id":…,"text":…,"labels":[…]}. Id is kept as written (string or number).</summary>
public sealed record LabelledPost(string Id, string Text, IReadOnlyList<string> Labels, int Line);

public static class LabelledPosts
{
    /// <summary>Reads labelled JSONL; a bad line is bad input naming file:line.</summary>
    public static IEnumerable<LabelledPost> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return Parse(line, $"{path}:{lineNumber}", lineNumber);
        }
    }

    public static LabelledPost Parse(string line, string where, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BadInputException($"{where}: not a JSON object");
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : idElement.GetRawText() : lineNumber.ToString();
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new BadInputException($"{where}: no \"text\" string");
            if (!root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array)
                throw new BadInputException($"{where}: no \"labels\" array");
            var list = new List<string>();
            foreach (var label in labels.EnumerateArray())
            {
                var name = label.ValueKind == JsonValueKind.String ? label.GetString() : null;
                if (name == Model.Labels.Other) continue;
                if (!Model.Labels.IsKnown(name))
                    throw new BadInputException($"{where}: unknown label {label.GetRawText()} (expected {string.Join(", ", Model.Labels.All)})");
                if (!list.Contains(name!)) list.Add(name!);
            }
            return new LabelledPost(id, text.GetString()!, list, lineNumber);
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"{where}: not JSON ({ex.Message.Split(". ")[0].TrimEnd('.')})", ex);
        }
    }
}

/// <summary>Confusion counts and figures of one label.</summary>
public sealed record LabelFigures(string Label, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public int Support => TruePositives + FalseNegatives;
    public double Precision => TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => Support == 0 ? 1.0 : (double)TruePositives / Support;
    public double F1 => Precision + Recall == 0 ? 0.0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>A post the classifier got wrong; Margin says how wrong (how far the worst wrong score is from 0.5).</summary>
public sealed record Mistake(LabelledPost Post, ClassificationResult Result, double Margin);

public sealed record EvaluationReport(IReadOnlyList<LabelFigures> PerLabel, int Posts, int ExactMatches, IReadOnlyList<Mistake> Mistakes)
{
    public double MacroF1 => PerLabel.Average(l => l.F1);
    public double ExactMatchRate => Posts == 0 ? 0 : (double)ExactMatches / Posts;
    public LabelFigures For(string label) => PerLabel.First(l => l.Label == label);
}

/// <summary>Runs a classifier over labelled posts and scores it label by label.</summary>
public static class Evaluation
{
    public static EvaluationReport Run(IPostClassifier classifier, IEnumerable<LabelledPost> posts)
    {
        var counts = new int[Labels.All.Count, 4];
        var mistakes = new List<Mistake>();
        int total = 0, exact = 0;
        foreach (var post in posts)
        {
            total++;
            var result = classifier.Classify(post.Text);
            var wrong = false;
            var margin = 0.0;
            for (var i = 0; i < Labels.All.Count; i++)
            {
                var label = Labels.All[i];
                var expected = post.Labels.Contains(label);
                var got = result.Has(label);
                counts[i, expected ? got ? 0 : 2 : got ? 1 : 3]++;
                if (expected != got)
                {
                    wrong = true;
                    margin = Math.Max(margin, Math.Abs(result.Score(label) - 0.5));
                }
            }
            if (wrong) mistakes.Add(new Mistake(post, result, margin));
            else exact++;
        }
        var figures = Labels.All.Select((label, i) => new LabelFigures(label, counts[i, 0], counts[i, 1], counts[i, 2], counts[i, 3])).ToList();
        return new EvaluationReport(figures, total, exact, mistakes.OrderByDescending(m => m.Margin).ToList());
    }
}
