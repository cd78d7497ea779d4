using System.Runtime.CompilerServices;
using SolidarityTracker.Model;
using SolidarityTracker.Sources;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A hand-written source for poll-cycle tests: per account handle, a script of pages to yield or failures to throw,
/// and a record of the cursor each fetch started from.
/// </summary>
public sealed class ScriptedSource(string platform = Platforms.Rss) : ISource
{
    private readonly Dictionary<string, Queue<Func<AccountState, IReadOnlyList<Step>>>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    public List<(string Handle, string? Cursor)> Fetches { get; } = [];
    public string Platform { get; } = platform;

    public abstract record Step;
    public sealed record PageStep(SourcePage Page) : Step;
    public sealed record FailStep(Exception Error) : Step;
    public sealed record WaitStep(TimeSpan Delay) : Step;

    /// <summary>The next fetch of this handle runs these steps in order.</summary>
    public ScriptedSource Then(string handle, params Step[] steps) => Then(handle, _ => steps);

    public ScriptedSource Then(string handle, Func<AccountState, IReadOnlyList<Step>> steps)
    {
        if (!_scripts.TryGetValue(handle, out var queue)) _scripts[handle] = queue = new();
        queue.Enqueue(steps);
        return this;
    }

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (Fetches) Fetches.Add((account.Handle, account.Cursor));
        IReadOnlyList<Step> steps = _scripts.TryGetValue(account.Handle, out var queue) && queue.Count > 0
            ? queue.Dequeue()(account)
            : [new PageStep(new SourcePage([], null, 1))];
        foreach (var step in steps)
        {
            switch (step)
            {
                case PageStep page: yield return page.Page; break;
                case FailStep fail: throw fail.Error;
                case WaitStep wait: await Task.Delay(wait.Delay, cancellationToken); break;
            }
        }
    }

    public static SourcePage Page(string? cursor, params Post[] posts) => new(posts, cursor, 1);

    public static Post Post(string handle, string id, DateTimeOffset createdAt, string text, string platform = Platforms.Rss) => new()
    {
        Platform = platform,
        PostId = id,
        Account = handle,
        CreatedAt = createdAt,
        Text = text,
        Url = $"https://example.org/{handle}/{id}",
    };
}
