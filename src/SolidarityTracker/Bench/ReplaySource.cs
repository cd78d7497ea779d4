using System.Collections.Concurrent;
using SolidarityTracker.Sources;

namespace SolidarityTracker.Bench;

/// <summary>
/// An RSS source that replays a prepared timeline on the clock it is given: each fetch is one page of the account's
/// posts created after its cursor and no later than now, so an accelerated clock replays hours of posting in seconds.
/// The cursor is the newest returned post's time (UTC ticks). Handles are feed URLs, as for rss.
/// </summary>
public sealed class ReplaySource(TimeProvider clock) : ISource
{
    private readonly ConcurrentDictionary<string, List<Post>> _timelines = new(StringComparer.OrdinalIgnoreCase);

    public string Platform => Platforms.Rss;

    /// <summary>Adds posts to their accounts' timelines (before the replay starts).</summary>
    public void AddRange(IEnumerable<Post> posts)
    {
        foreach (var post in posts) _timelines.GetOrAdd(post.Account, _ => []).Add(post);
        foreach (var timeline in _timelines.Values) timeline.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
    }

    public int Count => _timelines.Values.Sum(t => t.Count);

    /// <summary>The handles with a post created in (<paramref name="after"/>, <paramref name="upTo"/>]: the accounts a poll then finds something new on.</summary>
    public IReadOnlyList<string> Posting(DateTimeOffset after, DateTimeOffset upTo) =>
        _timelines.Where(t => t.Value.Any(p => p.CreatedAt > after && p.CreatedAt <= upTo)).Select(t => t.Key).ToList();

    public IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = long.TryParse(account.Cursor, out var ticks) ? ticks : long.MinValue;
        var fresh = _timelines.TryGetValue(account.Handle, out var timeline)
            ? timeline.Where(p => p.CreatedAt.UtcTicks > since && p.CreatedAt <= now).ToList()
            : [];
        return One(new SourcePage(fresh, fresh.Count > 0 ? fresh[^1].CreatedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) : null, 1));
    }

    private static async IAsyncEnumerable<SourcePage> One(SourcePage page)
    {
        yield return page;
        await Task.CompletedTask;
    }
}
