namespace SolidarityTracker.Classification;

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
