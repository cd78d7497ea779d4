using System.Collections.Concurrent;

namespace SolidarityTracker.Web;

/// <summary>
/// The incidents the dashboard lists: the digest's incident grouping (DigestService's model of a local day), so the
/// page and the morning digest agree. A day's model is kept for <see cref="Freshness"/> (building one reads the whole
/// day); a correction drops them all. An id is the day and the reference that named the incident:
/// 2016-07-17-place-baton-rouge.
/// </summary>
public sealed class IncidentCatalog(DigestService digests, PostStore posts, AccountStore accounts, TrackerSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    public const int MaxDays = 31;
    private readonly ConcurrentDictionary<DateOnly, Lazy<Task<(DateTimeOffset Built, DigestModel Model)>>> _days = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<RoundupReport>>> _roundups = new();
    private readonly ConcurrentDictionary<DateOnly, byte> _refreshing = new();

    public DateOnly Today => LocalDay.Of(time.GetUtcNow(), settings.TimeZone);

    /// <summary>The local day of the newest stored post, or today when none is newer: where a list of recent days ends (after `demo`, the sample wave's day).</summary>
    public DateOnly LatestDay => posts.NewestAt() is { } newest && LocalDay.Of(newest, settings.TimeZone) is var day && day < Today ? day : Today;

    /// <summary>
    /// The digest model of a local day, as `digest` would render it now, or at most <see cref="Freshness"/> ago plus one
    /// rebuild: a model older than that is rebuilt in the background (one rebuild at a time per day) while requests
    /// keep getting the one they had, so no page waits seconds for a busy day to be read again. Only a day never read
    /// (or dropped by <see cref="Invalidate"/>) is waited for.
    /// </summary>
    public async Task<DigestModel> DayAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var entry = _days.GetOrAdd(date, d => new Lazy<Task<(DateTimeOffset, DigestModel)>>(() => BuildDayAsync(d)));
        DateTimeOffset built;
        DigestModel model;
        try { (built, model) = await entry.Value.WaitAsync(cancellationToken); }
        catch (Exception) when (entry.Value.IsFaulted)
        {
            _days.TryRemove(new(date, entry)); // a failed read is not kept: the next request reads again
            throw;
        }
        if (time.GetUtcNow() - built >= Freshness && _refreshing.TryAdd(date, 0))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    var fresh = await BuildDayAsync(date);
                    // Unless a correction dropped the day meanwhile (the next request then reads it afresh anyway).
                    if (_days.TryUpdate(date, new Lazy<Task<(DateTimeOffset, DigestModel)>>(Task.FromResult(fresh)), entry))
                        foreach (var key in _roundups.Keys.Where(k => k.StartsWith(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)))
                            _roundups.TryRemove(key, out _);
                }
                catch (Exception) { /* the stale model stays; the next request tries again */ }
                finally { _refreshing.TryRemove(date, out _); }
            }, CancellationToken.None);
        }
        return model;
    }

    private async Task<(DateTimeOffset, DigestModel)> BuildDayAsync(DateOnly date) =>
        (time.GetUtcNow(), await digests.BuildModelAsync(date, CancellationToken.None));

    /// <summary>Forgets every day read, after a correction changed labels.</summary>
    public void Invalidate()
    {
        _days.Clear();
        _roundups.Clear();
    }

    /// <summary>The incidents of the days from <paramref name="from"/> to <paramref name="to"/>, newest day first.</summary>
    public async Task<IReadOnlyList<DayIncident>> ListAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var list = new List<DayIncident>();
        for (var date = to; date >= from; date = date.AddDays(-1))
            list.AddRange(Of(date, await DayAsync(date, cancellationToken)));
        return list;
    }

    public static IEnumerable<DayIncident> Of(DateOnly date, DigestModel model) =>
        model.Incidents.Select(i => new DayIncident(IdOf(date, i), date, i)).DistinctBy(i => i.Id);

    public async Task<DayIncident?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (id.Length < 12 || !DateOnly.TryParseExact(id[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || id[10] != '-')
            return null;
        if (date > Today) return null;
        return Of(date, await DayAsync(date, cancellationToken)).FirstOrDefault(i => i.Id == id);
    }

    /// <summary>
    /// The roundup of an incident: the agencies whose posts the incident groups, each with its first post and a
    /// quote, by state, and the configured agencies not heard from: the `roundup` command's report and templates.
    /// </summary>
    public Task<RoundupReport> RoundupAsync(DayIncident incident, CancellationToken cancellationToken = default) =>
        _roundups.GetOrAdd(incident.Id, _ => new Lazy<Task<RoundupReport>>(() => BuildRoundupAsync(incident))).Value.WaitAsync(cancellationToken);

    private async Task<RoundupReport> BuildRoundupAsync(DayIncident incident)
    {
        var (fromUtc, toUtc) = LocalDay.Bounds(incident.Date, settings.TimeZone);
        var members = incident.Incident.PostIds.ToHashSet();
        var query = new RoundupQuery(fromUtc, toUtc, incident.Date, incident.Date);
        var chosen = posts.ExportRowsAsync(new PostQuery { FromUtc = fromUtc, ToUtc = toUtc }).Where(p => members.Contains(p.Id));
        return await new RoundupBuilder(posts, accounts, settings).BuildAsync(query, chosen);
    }

    public static string IdOf(DateOnly date, DigestIncident incident) => IdOf(date, incident.Key);

    /// <summary>The dashboard id of the incident a reference (officer:…, place:…, agency:…) names on a local day.</summary>
    public static string IdOf(DateOnly date, string key)
    {
        var slug = new StringBuilder();
        foreach (var c in key.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        return $"{date:yyyy-MM-dd}-{slug.ToString().Trim('-')}";
    }
}
