using System.Collections.Concurrent;
using System.Diagnostics;
using SolidarityTracker.Alerts;
using SolidarityTracker.Classification;
using SolidarityTracker.Sources;

namespace SolidarityTracker.Polling;

/// <summary>
/// One poll of every due account: storage says which accounts are due, each account's source says what is
/// new since its cursor, the classifier labels it, and each page is stored with its cursor in one transaction.
/// An account that fails records why on its own row and backs off; it never stops the others.
/// </summary>
public sealed class PollCycle(
    AccountStore accounts,
    PostStore posts,
    RunLog runs,
    IEnumerable<ISource> sources,
    IPostClassifier classifier,
    TrackerSettings settings,
    TimeProvider time,
    ILogger<PollCycle> logger,
    AlertOutbox? alerts = null,
    AlertDispatcher? dispatcher = null)
{
    // The last registration of a platform wins, so a host can replace a source.
    private readonly Dictionary<string, ISource> _sources = sources.GroupBy(s => s.Platform).ToDictionary(g => g.Key, g => g.Last());

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(6);

    /// <summary>The worker's cycle: the accounts that are due, so an account in back-off is left alone until its next attempt.</summary>
    public Task<PollSummary> RunAsync(string? selector = null, CancellationToken cancellationToken = default) =>
        RunAsync(selector, PollScope.Due, cancellationToken);

    public async Task<PollSummary> RunAsync(string? selector, PollScope scope, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var chosen = scope == PollScope.Due ? accounts.Due(started, selector) : accounts.Enabled(selector);
        if (selector is not null && chosen.Count == 0)
            throw new BadInputException($"--account {selector}: no configured account has that agency id, handle or number");
        // A person asked for every enabled account: back-off is the worker's patience, not theirs. A platform's own
        // rate-limit reset is the platform's rule, so those accounts still wait for it.
        var waiting = chosen.Where(a => a.LastErrorKind == SourceException.NameOf(SourceErrorKind.RateLimited) && a.NextAttemptAt > started)
            .Select(a => new AccountWait(a, a.NextAttemptAt!.Value)).ToList();
        var due = chosen.Where(a => waiting.All(w => w.Account.Id != a.Id)).ToList();
        var results = new ConcurrentBag<AccountPollResult>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Polling.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, options, async (account, ct) =>
        {
            if (await PollLeasedAsync(account, ct) is { } result) results.Add(result);
        });
        await FinishAlertsAsync(cancellationToken);
        var summary = new PollSummary(started, time.GetUtcNow(), results.OrderBy(r => r.AccountId).ToList()) { Waiting = waiting };
        await RecordAsync(summary);
        return summary;
    }

    /// <summary>
    /// The worker's tick: the accounts <paramref name="scheduler"/> picks (due by their own schedule, within each
    /// platform's budget, peers of a stricken agency first during a wave), each polled as <see cref="RunAsync(string?, CancellationToken)"/> would.
    /// </summary>
    public async Task<PollSummary> RunScheduledAsync(PollScheduler scheduler, CancellationToken cancellationToken = default)
    {
        var started = time.GetUtcNow();
        var planning = Stopwatch.GetTimestamp();
        var plan = scheduler.Plan(started);
        var planned = Stopwatch.GetElapsedTime(planning);
        var results = new ConcurrentBag<AccountPollResult>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Polling.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(plan.Accounts, options, async (scheduled, ct) =>
        {
            var result = await PollLeasedAsync(scheduled.Account, ct);
            scheduler.Settle(scheduled, result?.Requests ?? 0);
            if (result is not null) results.Add(result);
        });
        if (plan.HeldByBudget.Count > 0)
            logger.LogInformation("Poll tick: {Held} due accounts wait for the next tick to stay within budget ({Budgets})",
                plan.HeldByBudget.Values.Sum(), string.Join(", ", plan.HeldByBudget.Select(h => $"{h.Key}: {h.Value}")));
        await FinishAlertsAsync(cancellationToken);
        var summary = new PollSummary(started, time.GetUtcNow(), results.OrderBy(r => r.AccountId).ToList())
            { PlanningTime = planned, Held = plan.HeldByBudget.Values.Sum(), Streamed = plan.Streamed };
        await RecordAsync(summary);
        return summary;
    }

    /// <summary>The cycle's record and each platform's requests and posts read on the local day it started (for `status`).</summary>
    private async Task RecordAsync(PollSummary summary)
    {
        try
        {
            await runs.RecordPollAsync(summary.StartedAt, summary.FinishedAt, summary.Accounts.Count, summary.NewPosts, summary.Failures, summary.Requests, CancellationToken.None);
            var usage = summary.Accounts.GroupBy(a => a.Platform).Select(g => new PlatformUsage(g.Key, g.Sum(a => (long)a.Requests), g.Sum(a => (long)a.PostsRead)));
            await runs.RecordUsageAsync(LocalDay.Of(summary.StartedAt, settings.TimeZone), usage, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbException or Storage.Postgres.StoreUnavailableException or IOException)
        {
            // Only the cycle's own record is lost (a full disk, say): what each account did is stored and reported all the same.
            logger.LogError("Could not record the poll cycle: {Error}", ex.Message);
        }
    }

    /// <summary>This process's name on the leases it takes (host, process id and a random part, unique across restarts).</summary>
    public string LeaseOwner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Polls one account under its lease (<see cref="AccountStore.TryLeaseAsync"/>), or returns null when another node
    /// holds it or has polled it since it was read: with several nodes on one PostgreSQL store each account is polled
    /// by one of them per check. The lease ends when the result is recorded; a node that dies leaves it to lapse
    /// (a restarted node too: it is a new node). On SQLite (<see cref="AccountStore.Leased"/> false) it simply polls.
    /// </summary>
    private async Task<AccountPollResult?> PollLeasedAsync(AccountState account, CancellationToken cancellationToken)
    {
        if (!accounts.Leased) return await PollAccountAsync(account, cancellationToken);
        var now = time.GetUtcNow();
        try
        {
            if (!await accounts.TryLeaseAsync(account, LeaseOwner, now, now + settings.Polling.LeaseTimeout, cancellationToken))
            {
                logger.LogDebug("{Platform} account {Handle}: polled or held by another node; left to it", account.Platform, account.Handle);
                return null;
            }
        }
        catch (Exception ex) when (ex is DbException or Storage.Postgres.StoreUnavailableException or IOException)
        {
            logger.LogError("{Platform} account {Handle}: could not take its poll lease: {Error}", account.Platform, account.Handle, ex.Message);
            return null;
        }
        // Recording the result (success or failure) ends the lease in the same statement; only a poll that ended
        // otherwise (shutdown, a bug) gives it back here.
        var recorded = false;
        try
        {
            var result = await PollAccountAsync(account, cancellationToken);
            recorded = true;
            return result;
        }
        finally
        {
            if (!recorded) await ReleaseLeaseAsync(account);
        }
    }

    private async Task ReleaseLeaseAsync(AccountState account)
    {
        try { await accounts.ReleaseLeaseAsync(account.Id, LeaseOwner, CancellationToken.None); }
        catch (Exception ex) when (ex is DbException or Storage.Postgres.StoreUnavailableException or IOException)
        {
            // The lease lapses by itself after Polling:LeaseTimeout.
            logger.LogWarning("{Platform} account {Handle}: could not give back its poll lease ({Error}); it lapses by itself", account.Platform, account.Handle, ex.Message);
        }
    }

    /// <summary>Polls one account to the end of what is new, storing page by page.</summary>
    public async Task<AccountPollResult> PollAccountAsync(AccountState account, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        int added = 0, updated = 0, requests = 0, read = 0;
        var backedOffUntil = account.NextAttemptAt > now ? account.NextAttemptAt : null;
        try
        {
            if (!_sources.TryGetValue(account.Platform, out var source))
                throw new SourceException(SourceErrorKind.Unauthorized, $"no source is available for platform '{account.Platform}'");
            var profileDue = account.ProfileCheckedAt is not { } checkedAt || now - checkedAt >= settings.Polling.ProfileInterval;
            var context = new SourceContext(now, TimeSpan.FromDays(settings.Polling.BackfillDays), profileDue);
            await foreach (var page in source.FetchAsync(account, context, cancellationToken))
            {
                requests += page.Requests;
                read += page.Posts.Count;
                var saved = await posts.SavePageAsync(account, page, ClassifiedPosts.Classify(classifier, page.Posts), time.GetUtcNow(), CancellationToken.None);
                added += saved.Added;
                updated += saved.Updated;
            }
            var plan = CheckPlan.After(account, added, time.GetUtcNow(), settings.Polling);
            await accounts.RecordSuccessAsync(account.Id, time.GetUtcNow(), profileDue, plan, CancellationToken.None);
            await AlertsAsync(() => alerts!.AccountPolledAsync(account, null, CancellationToken.None), "check the account's health alerts");
            logger.LogInformation("Polled {Platform} account {Handle} of {Agency}: {NewPosts} new, {Updated} updated, {Requests} requests in {ElapsedMs} ms",
                account.Platform, account.Handle, account.AgencyId, added, updated, requests, clock.ElapsedMilliseconds);
            return new AccountPollResult(account.Id, account.AgencyId, account.Platform, account.Handle, added, updated, Math.Max(requests, 1), null, null)
                { PostsRead = read, BackedOffUntil = backedOffUntil };
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
        {
            var failures = account.ConsecutiveFailures + 1;
            // A suspended or deleted account is not asked every cycle: about once a day, in case it comes back.
            var next = failure.RetryAfter ?? now + (failure.Gone is not null ? AccountGone.Recheck : Backoff(failures));
            try
            {
                await accounts.RecordFailureAsync(account.Id, failure.KindName, failure.Detail, time.GetUtcNow(), next, CancellationToken.None, failure.Gone);
            }
            catch (Exception recordError) when (recordError is DbException or Storage.Postgres.StoreUnavailableException or IOException)
            {
                // The database itself is failing (disk full, removed): say so in the log; the next cycle tries again.
                logger.LogError("Could not record the failure of {Platform} account {Handle}: {Error}", account.Platform, account.Handle, recordError.Message);
            }
            await AlertsAsync(() => alerts!.AccountPolledAsync(account, failure, CancellationToken.None), "record the account's health alert");
            logger.LogWarning("Poll of {Platform} account {Handle} of {Agency} failed ({Kind}): {Error}; {Failures} in a row, next attempt {NextAttempt:u}; {NewPosts} new posts kept",
                account.Platform, account.Handle, account.AgencyId, failure.KindName, failure.Detail, failures, next, added);
            return new AccountPollResult(account.Id, account.AgencyId, account.Platform, account.Handle, added, updated, Math.Max(requests, 1), failure.KindName, failure.Detail)
                { PostsRead = read, BackedOffUntil = backedOffUntil };
        }
    }

    /// <summary>The cycle's alerts leave before it ends: its watch messages are released, and the outbox is sent.</summary>
    private async Task FinishAlertsAsync(CancellationToken cancellationToken)
    {
        await AlertsAsync(() => alerts!.FinishCycleAsync(CancellationToken.None), "release this cycle's alerts");
        await AlertsAsync(() => dispatcher!.DrainAsync(cancellationToken), "send the alerts");
    }

    /// <summary>Alert bookkeeping never fails the cycle: what is in the outbox stays there for the next dispatch.</summary>
    private async Task AlertsAsync(Func<Task> step, string what)
    {
        if (alerts is null || dispatcher is null) return;
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is DbException or Storage.Postgres.StoreUnavailableException or IOException)
        {
            logger.LogError("Could not {What}: {Error}", what, ex.Message);
        }
    }

    /// <summary>Exponential back-off: 1, 2, 4 … minutes, at most six hours.</summary>
    public static TimeSpan Backoff(int consecutiveFailures)
    {
        var minutes = FirstBackoff.TotalMinutes * Math.Pow(2, Math.Min(consecutiveFailures - 1, 20));
        return TimeSpan.FromMinutes(Math.Min(minutes, MaxBackoff.TotalMinutes));
    }

    /// <summary>Every failure a source can meet becomes a SourceException, worded once (<see cref="SourceException.From"/>); cancellation of the cycle itself is not a failure.</summary>
    private static SourceException? Classify(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        // SQLITE_FULL: nothing of the page was stored (its transaction rolled back); the account tries again later.
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => new SourceException(SourceErrorKind.Transient, "the disk holding Tracker:Database is full; nothing of this page was stored", inner: ex)
        {
            Advice = "free some space; the next poll stores it",
        },
        // Anything else (a bug, a storage error) still fails only this account: recorded on its row, the others go on.
        _ => SourceException.From(ex, cancellationToken),
    };
}
