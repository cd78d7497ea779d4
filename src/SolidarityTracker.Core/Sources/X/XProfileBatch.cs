namespace SolidarityTracker.Sources.X;

/// <summary>
/// Gathers the profile look-ups of accounts polled at about the same time into one GET /2/users?ids= (at most
/// 100 ids): the first account to ask waits a short window (or until the batch is full) and makes the request
/// for everyone in it. Profiles are wanted once per Polling:ProfileInterval, so the wait is rare and short.
/// </summary>
internal sealed class XProfileBatch(TimeProvider time)
{
    public const int MaxIds = 100;
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);

    private sealed class Batch
    {
        public readonly List<(string Id, TaskCompletionSource<XUser?> Done)> Items = [];
        public readonly TaskCompletionSource Full = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Lock _gate = new();
    private Batch? _open;

    /// <summary>The user's profile (null when X does not know the id), and whether this caller made the request.</summary>
    public async Task<(XUser? User, bool Asked)> LookupAsync(string id, Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<XUser>>> fetch, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<XUser?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Batch batch;
        bool leader, full;
        lock (_gate)
        {
            leader = _open is null;
            batch = _open ??= new Batch();
            batch.Items.Add((id, mine));
            full = batch.Items.Count >= MaxIds;
            if (full) _open = null;
        }
        if (full) batch.Full.TrySetResult();
        if (leader)
        {
            try { await Task.WhenAny(batch.Full.Task, Task.Delay(Window, time, cancellationToken)); }
            finally { lock (_gate) if (_open == batch) _open = null; }
            await FlushAsync(batch, fetch, cancellationToken);
        }
        return (await mine.Task.WaitAsync(cancellationToken), leader);
    }

    private static async Task FlushAsync(Batch batch, Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<XUser>>> fetch, CancellationToken cancellationToken)
    {
        try
        {
            var users = (await fetch(batch.Items.Select(i => i.Id).Distinct().ToList(), cancellationToken)).DistinctBy(u => u.Id).ToDictionary(u => u.Id);
            foreach (var (id, done) in batch.Items) done.TrySetResult(users.GetValueOrDefault(id));
        }
        catch (Exception ex)
        {
            foreach (var (_, done) in batch.Items) done.TrySetException(ex);
        }
    }
}
