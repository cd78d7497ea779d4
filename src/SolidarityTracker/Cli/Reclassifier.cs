namespace SolidarityTracker.Cli;

/// <summary>Re-runs a classifier over the stored posts in batches (the library side of `reclassify`).</summary>
public sealed class Reclassifier(PostStore store, IPostClassifier classifier, TimeProvider clock)
{
    public sealed record Summary(long Posts, long Changed, long Skipped, IReadOnlyDictionary<string, (long Gained, long Lost)> ByLabel);

    public string Version => classifier.Version;

    public async Task<Summary> RunAsync(int batchSize, bool outdatedOnly, Action<long, long>? progress, CancellationToken cancellationToken)
    {
        var total = store.Count();
        var byLabel = Labels.All.ToDictionary(l => l, _ => (Gained: 0L, Lost: 0L));
        long seen = 0, posts = 0, changed = 0, skipped = 0;
        var batch = new List<(long PostId, ClassificationResult Result)>(batchSize);
        await foreach (var stored in store.QueryAsync(new PostQuery { IncludeDeleted = true }, cancellationToken))
        {
            seen++;
            if (outdatedOnly && stored.Classification.ClassifierVersion == classifier.Version)
            {
                skipped++;
            }
            else
            {
                var result = classifier.Classify(stored.Post.Text);
                batch.Add((stored.Id, result));
                posts++;
                var before = stored.Classification.Labels;
                var labelsChanged = false;
                foreach (var label in Labels.All)
                {
                    var had = before.Contains(label);
                    var has = result.Has(label);
                    if (had == has) continue;
                    labelsChanged = true;
                    var (gained, lost) = byLabel[label];
                    byLabel[label] = has ? (gained + 1, lost) : (gained, lost + 1);
                }
                if (labelsChanged) changed++;
            }
            if (batch.Count >= batchSize)
            {
                await store.ReplaceClassificationsAsync(batch, clock.GetUtcNow(), cancellationToken);
                batch.Clear();
                progress?.Invoke(seen, total);
            }
        }
        if (batch.Count > 0) await store.ReplaceClassificationsAsync(batch, clock.GetUtcNow(), cancellationToken);
        progress?.Invoke(seen, Math.Max(seen, total));
        return new Summary(posts, changed, skipped, byLabel);
    }
}
