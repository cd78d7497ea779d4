namespace SolidarityTracker.Digests;

/// <summary>
/// A small made-up day with every section filled in, so `check` can render each template once and a
/// runtime error (an unknown member, a bad filter) surfaces with its file and line before the morning run.
/// </summary>
public static class DigestSample
{
    public static DigestModel Model(TimeZoneInfo zone, DateTimeOffset now)
    {
        var date = LocalDay.Of(now, zone).AddDays(-1);
        var (from, _) = LocalDay.Bounds(date, zone);
        var agencies = new[] { new Agency("sample-a", "Sample City Police", "NY"), new Agency("sample-b", "Sample County Sheriff", "NJ") };
        StoredPost Post(long id, string agency, string platform, int hour, string text, params string[] labels) => new()
        {
            Id = id,
            Post = new Post
            {
                Platform = platform, PostId = id.ToString(System.Globalization.CultureInfo.InvariantCulture), AgencyId = agency,
                Account = agency, CreatedAt = from.AddHours(hour), Url = $"https://example.org/{id}", Text = text,
            },
            AgencyName = agencies.First(a => a.Id == agency).Name,
            AgencyState = agencies.First(a => a.Id == agency).State,
            Classification = new ClassificationResult(labels, Labels.All.ToDictionary(l => l, l => labels.Contains(l) ? 0.9 : 0.0),
                labels.Select(l => new Evidence(l, "sample phrase", 1.0)).ToList(), "sample"),
        };
        var posts = new List<StoredPost>
        {
            Post(1, "sample-a", Platforms.X, 8, "Our thoughts are with @sampleb and the family of Officer Jane Sample. #SampleStrong", Labels.Condolence),
            Post(2, "sample-b", Platforms.Mastodon, 9, "Our badges wear a mourning band for Officer Jane Sample in Sample Town. #SampleStrong", Labels.Memorial),
            Post(3, "sample-a", Platforms.Bluesky, 14, "Please report anything out of place in Sample Town. #SampleStrong", Labels.SafetyReminder, Labels.Condolence),
        };
        var account = new AccountState
        {
            Id = 1, AgencyId = "sample-b", Platform = Platforms.X, Handle = "sampleb", ConsecutiveFailures = 3,
            LastErrorKind = "transient", LastError = "sample error", LastErrorAt = now.AddHours(-1), LastSuccessAt = now.AddDays(-1),
        };
        return DigestModelBuilder.Build(new DigestInput(
            date, zone, posts, Labels.All.ToDictionary(l => l, _ => 1), 3,
            [new ProfileChange("sample-b", "Sample County Sheriff", Platforms.X, "sampleb", "Sample Sheriff", "Sample Sheriff (in mourning)",
                "https://example.org/old.png", "https://example.org/new.png", from.AddHours(10))],
            [account],
            // A cap of one post per section, so `check` renders the "and N more" branch of every template too.
            agencies, now, MaxPostsPerSection: 1, DashboardUrl: WebOptions.DefaultUrls));
    }
}
