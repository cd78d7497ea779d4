using SolidarityTracker.Classification;

namespace SolidarityTracker.Storage;

/// <summary>
/// The classify step between a source (or an archive) and the store, one for polling and import alike: every post
/// classified once, and its labels made into the columns of its classifications row on the thread that classifies,
/// so the thread that stores only binds them.
/// </summary>
public sealed class ClassifiedPosts
{
    private ClassifiedPosts(IReadOnlyList<Post> posts, IReadOnlyList<ClassificationResult> results)
    {
        if (results.Count != posts.Count) throw new ArgumentException("one classification per post", nameof(results));
        Posts = posts;
        Results = results;
        Columns = LabelColumns.Of(results);
    }

    public IReadOnlyList<Post> Posts { get; }
    public IReadOnlyList<ClassificationResult> Results { get; }
    internal IReadOnlyList<LabelColumns> Columns { get; }

    /// <summary>Classifies each post's text with <paramref name="classifier"/>.</summary>
    public static ClassifiedPosts Classify(IPostClassifier classifier, IReadOnlyList<Post> posts)
    {
        var results = new ClassificationResult[posts.Count];
        for (var i = 0; i < results.Length; i++) results[i] = classifier.Classify(posts[i].Text);
        return new ClassifiedPosts(posts, results);
    }

    /// <summary>Posts with classifications made elsewhere (a test's, a benchmark's), one per post in order.</summary>
    public static ClassifiedPosts Of(IReadOnlyList<Post> posts, IReadOnlyList<ClassificationResult> results) => new(posts, results);
}
