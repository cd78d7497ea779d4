namespace SolidarityTracker.Classification;

/// <summary>
/// Scores that are probabilities: Platt scaling (σ(a·z + b) over the classifier's raw log-odds z, fitted by Newton's
/// method on the log-loss with Platt's smoothed targets) and reliability tables that show how well a score says
/// how often the label is right.
/// </summary>
public static class Calibration
{
    /// <summary>Fits (scale, shift) so that σ(scale·z + shift) is the probability of the label.</summary>
    public static (double Scale, double Shift) FitPlatt(IReadOnlyList<double> logits, IReadOnlyList<bool> positive)
    {
        var n = logits.Count;
        var positives = positive.Count(p => p);
        var negatives = n - positives;
        // Platt's targets keep a perfectly separated set from driving the scale to infinity.
        var hi = (positives + 1.0) / (positives + 2.0);
        var lo = 1.0 / (negatives + 2.0);
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < n; i++)
            {
                var p = 1.0 / (1.0 + Math.Exp(-(a * logits[i] + b)));
                var t = positive[i] ? hi : lo;
                var d = p - t;
                var w = p * (1 - p);
                ga += d * logits[i];
                gb += d;
                haa += w * logits[i] * logits[i];
                hab += w * logits[i];
                hbb += w;
            }
            var det = haa * hbb - hab * hab;
            if (Math.Abs(det) < 1e-12) break;
            var da = (hbb * ga - hab * gb) / det;
            var db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9) break;
        }
        return (Math.Round(a, 4), Math.Round(b, 4));
    }

    /// <summary>Ten bins of width 0.1 per label, the Brier score and the expected calibration error (bin-weighted |mean score − observed|).</summary>
    public static IReadOnlyList<ReliabilityTable> Reliability(IPostClassifier classifier, IReadOnlyList<LabelledPost> posts, int bins = 10)
    {
        var results = posts.Select(p => classifier.Classify(p.Text)).ToList();
        var tables = new List<ReliabilityTable>();
        foreach (var label in Labels.All)
        {
            var count = new int[bins];
            var sum = new double[bins];
            var hits = new int[bins];
            double brier = 0;
            for (var i = 0; i < posts.Count; i++)
            {
                var score = results[i].Score(label);
                var yes = posts[i].Labels.Contains(label);
                var bin = Math.Min(bins - 1, (int)(score * bins));
                count[bin]++;
                sum[bin] += score;
                if (yes) hits[bin]++;
                brier += (score - (yes ? 1 : 0)) * (score - (yes ? 1 : 0));
            }
            var table = Enumerable.Range(0, bins).Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b], count[b] == 0 ? 0 : sum[b] / count[b], hits[b])).ToList();
            var ece = posts.Count == 0 ? 0 : table.Sum(b => b.Posts * Math.Abs(b.MeanScore - b.Observed)) / posts.Count;
            tables.Add(new ReliabilityTable(label, table, posts.Count == 0 ? 0 : brier / posts.Count, ece));
        }
        return tables;
    }
}
