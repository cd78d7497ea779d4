using Microsoft.Extensions.Time.Testing;
using SolidarityTracker.Sources;

namespace SolidarityTracker.Tests.Sources;

/// <summary>The profile batch waits on its TimeProvider: these tests move a fake clock and never sleep.</summary>
public sealed class ProfileBatchTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);
    private readonly FakeTimeProvider _time = new();
    private readonly List<IReadOnlyList<string>> _requests = [];

    private ProfileBatch<string> Batch(int maxKeys = 3, Func<Exception, bool>? askAloneAfter = null) => new(_time, maxKeys, Window, askAloneAfter);

    /// <summary>The platform: knows every key but "ghost", answers each under its key in upper case.</summary>
    private Task<IReadOnlyList<(string Key, string Profile)>> Fetch(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        lock (_requests) _requests.Add(keys);
        IReadOnlyList<(string, string)> found = keys.Where(k => k != "ghost").Select(k => (k.ToUpperInvariant(), "profile of " + k)).ToList();
        return Task.FromResult(found);
    }

    [Fact]
    public async Task A_lone_lookup_is_asked_when_the_window_has_passed_on_the_clock()
    {
        var batch = Batch();
        var lookup = batch.LookupAsync("a", Fetch, CancellationToken.None);

        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.False(lookup.IsCompleted);
        Assert.Empty(_requests);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var (profile, requests) = await lookup;
        Assert.Equal("profile of a", profile);
        Assert.Equal(1, requests);
        Assert.Equal(["a"], Assert.Single(_requests));
    }

    [Fact]
    public async Task A_full_batch_is_asked_at_once_in_one_request_without_the_clock_moving()
    {
        var batch = Batch(maxKeys: 3);
        var lookups = new[] { "a", "b", "c" }.Select(k => batch.LookupAsync(k, Fetch, CancellationToken.None)).ToList();

        var answers = await Task.WhenAll(lookups);

        Assert.Equal(["profile of a", "profile of b", "profile of c"], answers.Select(a => a.Profile));
        Assert.Equal([1, 0, 0], answers.Select(a => a.Requests));
        Assert.Equal(["a", "b", "c"], Assert.Single(_requests));
    }

    [Fact]
    public async Task A_lookup_after_a_full_batch_opens_the_next_one()
    {
        var batch = Batch(maxKeys: 2);
        var first = new[] { "a", "b" }.Select(k => batch.LookupAsync(k, Fetch, CancellationToken.None)).ToList();
        await Task.WhenAll(first);
        var late = batch.LookupAsync("c", Fetch, CancellationToken.None);
        Assert.False(late.IsCompleted);

        _time.Advance(Window);

        Assert.Equal("profile of c", (await late).Profile);
        Assert.Equal([["a", "b"], ["c"]], _requests);
    }

    [Fact]
    public async Task A_key_the_platform_does_not_know_is_null_and_the_same_key_twice_is_asked_once()
    {
        var batch = Batch(maxKeys: 3);
        var lookups = new[] { "ghost", "a", "A" }.Select(k => batch.LookupAsync(k, Fetch, CancellationToken.None)).ToList();

        var answers = await Task.WhenAll(lookups);

        Assert.Equal([null, "profile of a", "profile of a"], answers.Select(a => a.Profile));
        Assert.Equal(["ghost", "a"], Assert.Single(_requests));
    }

    [Fact]
    public async Task A_failed_request_fails_every_lookup_of_its_batch()
    {
        var batch = Batch(maxKeys: 2);
        Task<IReadOnlyList<(string, string)>> Refuse(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
            throw new SourceException(SourceErrorKind.RateLimited, "rate limited");
        var lookups = new[] { "a", "b" }.Select(k => batch.LookupAsync(k, Refuse, CancellationToken.None)).ToList();

        foreach (var lookup in lookups)
            Assert.Equal(SourceErrorKind.RateLimited, (await Assert.ThrowsAsync<SourceException>(() => lookup)).Kind);
    }

    [Fact]
    public async Task After_a_failed_batch_each_key_is_asked_alone_so_a_failure_stays_with_its_own_lookup()
    {
        var batch = Batch(maxKeys: 3, askAloneAfter: ex => ex is SourceException { Kind: SourceErrorKind.Transient });
        Task<IReadOnlyList<(string, string)>> BrokenB(IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            lock (_requests) _requests.Add(keys);
            if (keys.Contains("b")) throw new SourceException(SourceErrorKind.Transient, "b is broken");
            IReadOnlyList<(string, string)> found = keys.Select(k => (k, "profile of " + k)).ToList();
            return Task.FromResult(found);
        }
        var lookups = new[] { "a", "b", "c" }.Select(k => batch.LookupAsync(k, BrokenB, CancellationToken.None)).ToList();

        Assert.Equal(("profile of a", 2), await lookups[0]);
        Assert.Equal("b is broken", (await Assert.ThrowsAsync<SourceException>(() => lookups[1])).Message);
        Assert.Equal(("profile of c", 1), await lookups[2]);
        Assert.Equal(4, _requests.Count);
        Assert.Equal(["a", "b", "c"], _requests[0]);
    }
}
