using System.Text.Encodings.Web;

namespace SolidarityTracker.Classification;

/// <summary>Labelled JSONL that the classifier is trained on, and the people's corrections folded into it.</summary>
public static class TrainingData
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Line(string id, string text, IReadOnlyList<string> labels) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["text"] = text, ["labels"] = labels }, Json);

    /// <summary>
    /// Appends each corrected post to <paramref name="path"/> as {"id","text","labels"}, unless it is already there: a
    /// line with the same id and labels, or the same text, is left alone; a line with the same id and other labels takes
    /// the corrected labels in place (the correction is the newer judgement). Posts whose text is in an excluded file
    /// (the test split) are skipped, so a correction never leaks test posts into train. The file is replaced whole.
    /// </summary>
    public static FoldResult FoldIn(string path, IReadOnlyList<CorrectedPost> corrections, IReadOnlyCollection<string> excludedTexts)
    {
        var existing = LabelledPosts.Read(path).ToList();
        var lines = File.ReadAllLines(path).ToList();
        var byId = existing.ToDictionary(p => p.Id, p => p, StringComparer.Ordinal);
        var texts = existing.Select(p => p.Text).ToHashSet(StringComparer.Ordinal);
        var excluded = excludedTexts as ISet<string> ?? excludedTexts.ToHashSet(StringComparer.Ordinal);
        int added = 0, updated = 0, already = 0, skipped = 0;
        foreach (var post in corrections)
        {
            var labels = Model.Labels.All.Where(post.Labels.Contains).ToList();
            if (excluded.Contains(post.Text)) { skipped++; continue; }
            if (byId.TryGetValue(post.Id, out var known))
            {
                if (known.Labels.OrderBy(l => l, StringComparer.Ordinal).SequenceEqual(labels.OrderBy(l => l, StringComparer.Ordinal))) { already++; continue; }
                lines[known.Line - 1] = Line(post.Id, known.Text, labels);
                byId[post.Id] = known with { Labels = labels };
                updated++;
                continue;
            }
            if (!texts.Add(post.Text)) { already++; continue; }
            lines.Add(Line(post.Id, post.Text, labels));
            byId[post.Id] = new LabelledPost(post.Id, post.Text, labels, lines.Count);
            added++;
        }
        if (added + updated > 0) AtomicFile.WriteAllText(path, string.Join('\n', lines.Where((l, i) => i < lines.Count - 1 || l.Length > 0)) + "\n");
        return new FoldResult(added, updated, already, skipped);
    }
}
