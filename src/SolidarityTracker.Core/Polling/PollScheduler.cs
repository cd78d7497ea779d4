using SolidarityTracker.Incidents;
using SolidarityTracker.Sources.X;

namespace SolidarityTracker.Polling;

/// <summary>
/// The worker's tick: which due accounts to poll now. Storage says who is due (their next check has come, or a wave
/// is on and they were not asked within Polling:WaveInterval); the stricken agency and its peers go first, then the
/// accounts most likely to have news; each platform's request budget decides how many of them are asked this tick.
/// The rest stay due for the next tick.
/// </summary>
public sealed class PollScheduler(IScheduleSource accounts, RequestBudget budget, IOpenIncidents incidents, TrackerSettings settings,
    XReadBudget? xReads = null, PlatformCaps? caps = null, IStreamCoverage? streams = null)
{
    public TickPlan Plan(DateTimeOffset now)
    {
        var open = incidents.Open(now);
        var wave = open.Count > 0;
        var due = accounts.Scheduled(now, wave ? now - settings.Polling.WaveInterval : null);
        // An account a live stream covers is polled once per Polling:MaxInterval (profile, edits, the deletion listing), not on its own schedule.
        var streamed = 0;
        if (streams is not null)
        {
            var count = due.Count;
            due = due.Where(a => !(streams.Covers(a) && a.LastAttemptAt is { } at && now - at < settings.Polling.MaxInterval)).ToList();
            streamed = count - due.Count;
        }
        IEnumerable<AccountState> ordered = due.OrderByDescending(a => CheckPlan.ExpectedPosts(a, now));
        if (wave)
        {
            var stricken = open.Select(i => i.StrickenAgencyId).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var states = open.Select(i => i.State).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var stateOf = accounts.Agencies().ToDictionary(a => a.Id, a => a.State, StringComparer.OrdinalIgnoreCase);
            int Rank(AccountState a) => stricken.Contains(a.AgencyId) ? 0 : stateOf.GetValueOrDefault(a.AgencyId) is { } s && states.Contains(s) ? 1 : 2;
            ordered = due.OrderBy(Rank).ThenByDescending(a => CheckPlan.ExpectedPosts(a, now));
        }
        var chosen = new List<ScheduledAccount>();
        var held = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        // X's usage cap and the month's spread post budget hold every X account; they stay due, with nothing recorded against them.
        var xHeld = caps?.Active(Platforms.X, now) is not null ? "x usage cap" : xReads?.CanRead(now) == false ? "x monthly post budget" : null;
        foreach (var account in ordered)
        {
            if (xHeld is not null && account.Platform == Platforms.X)
            {
                held[xHeld] = held.GetValueOrDefault(xHeld) + 1;
                continue;
            }
            var limit = LimitOf(account);
            var cost = EstimatedRequests(account);
            if (limit is not null && !budget.TryReserve(limit, cost))
            {
                held[limit.Key] = held.GetValueOrDefault(limit.Key) + 1;
                continue;
            }
            chosen.Add(new ScheduledAccount(account, limit, cost));
        }
        return new TickPlan(now, chosen, held, wave, due.Count) { Streamed = streamed };
    }

    /// <summary>Corrects the account's reservation by what its poll really cost.</summary>
    public void Settle(ScheduledAccount scheduled, int requests)
    {
        if (scheduled.Limit is { } limit) budget.Settle(limit, scheduled.ReservedRequests, requests);
    }

    /// <summary>
    /// The limit an account's requests count against: X per app (the user-timeline endpoint), Mastodon per instance,
    /// Bluesky per client address at the AppView. RSS feeds are each their own site: no shared limit.
    /// </summary>
    public RequestLimit? LimitOf(AccountState account) => account.Platform switch
    {
        Platforms.X => new RequestLimit("x", settings.Sources.X.RequestsPer15Min, TimeSpan.FromMinutes(15)),
        Platforms.Mastodon => new RequestLimit("mastodon:" + MastodonHost(account.Handle), settings.Sources.Mastodon.RequestsPer5Min, TimeSpan.FromMinutes(5)),
        Platforms.Bluesky => new RequestLimit("bluesky:" + Host(settings.Sources.Bluesky.BaseUrl), settings.Sources.Bluesky.RequestsPer5Min, TimeSpan.FromMinutes(5)),
        _ => null,
    };

    /// <summary>An idle poll costs one request; an account not yet resolved costs its lookup too.</summary>
    private static int EstimatedRequests(AccountState account) => account.Platform == Platforms.Rss || account.ExternalId is not null ? 1 : 2;

    private string MastodonHost(string handle)
    {
        if (!string.IsNullOrWhiteSpace(settings.Sources.Mastodon.BaseUrl)) return Host(settings.Sources.Mastodon.BaseUrl);
        var at = handle.LastIndexOf('@');
        return at > 0 ? handle[(at + 1)..].ToLowerInvariant() : handle;
    }

    private static string Host(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority.ToLowerInvariant() : url ?? "";
}
