namespace SolidarityTracker.Sources;

/// <summary>
/// Gathers the profile look-ups of accounts polled at about the same time into one request (X's /2/users?ids=,
/// Bluesky's app.bsky.actor.getProfiles): the first account to ask waits <paramref name="window"/> on the
/// <see cref="TimeProvider"/> (or until <paramref name="maxKeys"/> have asked) and makes the request for everyone in
/// it. Profiles are wanted once per Polling:ProfileInterval (and once for a new account), so the wait is rare and short.
/// </summary>
/// <param name="askAloneAfter">
/// When the batch request fails in a way this says may be one account's own (a broken profile, a slow answer),
/// each key is asked alone, so the failure stays with its account; null fails the whole batch.
/// </param>
internal sealed class ProfileBatch<TProfile>(TimeProvider time, int maxKeys, TimeSpan window, Func<Exception, bool>? askAloneAfter = null)
    where TProfile : class
{
    /// <summary>
    /// Asks for the profiles of these keys in one request; answers each profile under every key it is known by
    /// (an id, a handle), leaving out the keys the platform does not know.
    /// </summary>
    public delegate Task<IReadOnlyList<(string Key, TProfile Profile)>> Fetch(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    private sealed class Batch
    {
        public readonly List<(string Key, TaskCompletionSource<(TProfile?, int)> Done)> Items = [];
        public readonly TaskCompletionSource Full = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _gate = new();
    private Batch? _open;

    /// <summary>
    /// The profile of <paramref name="key"/> (null when the platform does not know it), and how many requests to
    /// count for this caller: the batch request for the one that made it, and its own when it was asked alone.
    /// </summary>
    public async Task<(TProfile? Profile, int Requests)> LookupAsync(string key, Fetch fetch, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<(TProfile?, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Batch batch;
        bool leader, full;
        lock (_gate)
        {
            leader = _open is null;
            batch = _open ??= new Batch();
            batch.Items.Add((key, mine));
            full = batch.Items.Count >= maxKeys;
            if (full) _open = null;
        }
        if (full) batch.Full.TrySetResult();
        if (leader)
        {
            try { await Task.WhenAny(batch.Full.Task, Task.Delay(window, time, cancellationToken)); }
            finally { lock (_gate) if (_open == batch) _open = null; }
            await FlushAsync(batch, fetch, cancellationToken);
        }
        var (profile, requests) = await mine.Task.WaitAsync(cancellationToken);
        return (profile, requests + (leader ? 1 : 0));
    }

    private async Task FlushAsync(Batch batch, Fetch fetch, CancellationToken cancellationToken)
    {
        var keys = batch.Items.Select(i => i.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        try
        {
            var found = await AskAsync(keys, fetch, cancellationToken);
            foreach (var (key, done) in batch.Items) done.TrySetResult((found.GetValueOrDefault(key), 0));
        }
        catch (Exception ex) when (keys.Count > 1 && !cancellationToken.IsCancellationRequested && askAloneAfter?.Invoke(ex) == true)
        {
            var alone = keys.ToDictionary(k => k, k => AskAsync([k], fetch, cancellationToken), StringComparer.OrdinalIgnoreCase);
            var counted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, done) in batch.Items)
            {
                var requests = counted.Add(key) ? 1 : 0;
                try { done.TrySetResult(((await alone[key]).GetValueOrDefault(key), requests)); }
                catch (Exception own) { done.TrySetException(own); }
            }
        }
        catch (Exception ex)
        {
            foreach (var (_, done) in batch.Items) done.TrySetException(ex);
        }
    }

    private static async Task<Dictionary<string, TProfile>> AskAsync(IReadOnlyList<string> keys, Fetch fetch, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, TProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, profile) in await fetch(keys, cancellationToken)) found.TryAdd(key, profile);
        return found;
    }
}
