namespace SolidarityTracker.Export;

/// <summary>Builds a <see cref="RoundupReport"/> from storage; reads only, never writes.</summary>
public sealed class RoundupBuilder(PostStore posts, AccountStore accounts, TrackerSettings settings)
{
    /// <summary>The label of states no agency row names.</summary>
    public const string NoState = "No state";
    private const int QuoteLength = 200;

    public Task<RoundupReport> BuildAsync(RoundupQuery query, CancellationToken cancellationToken = default)
    {
        // Without --label a roundup is about condolences and memorials; one label query cannot say "either", so filter here.
        var storeQuery = new PostQuery
        {
            FromUtc = query.FromUtc,
            ToUtc = query.ToUtc,
            FullText = query.FullText,
            Label = query.Label,
            State = query.State,
        };
        return BuildAsync(query, posts.ExportRowsAsync(storeQuery, cancellationToken), cancellationToken);
    }

    /// <summary>The roundup of posts already chosen (an incident's), oldest first; <paramref name="query"/> names the period and filters the agencies.</summary>
    public async Task<RoundupReport> BuildAsync(RoundupQuery query, IAsyncEnumerable<StoredPost> chosen, CancellationToken cancellationToken = default)
    {
        var zone = settings.TimeZone;
        var responded = new Dictionary<string, RoundupAgency>(StringComparer.OrdinalIgnoreCase);
        await foreach (var stored in chosen.WithCancellation(cancellationToken))
        {
            if (query.Label is null && !stored.Classification.Has(Labels.Condolence) && !stored.Classification.Has(Labels.Memorial)) continue;
            var agencyId = stored.Post.AgencyId ?? $"{stored.Post.Platform}:{stored.Post.Account}";
            if (responded.TryGetValue(agencyId, out var seen))
            {
                responded[agencyId] = seen with { Posts = seen.Posts + 1 };
                continue;
            }
            // Posts arrive oldest first, so the first one seen is the agency's first response.
            var local = LocalDay.ToLocal(stored.Post.CreatedAt, zone);
            responded[agencyId] = new RoundupAgency(
                agencyId, stored.AgencyName ?? agencyId, stored.AgencyState, Responded: true,
                local, local.ToString("yyyy-MM-dd HH:mm (zzz)", System.Globalization.CultureInfo.InvariantCulture),
                stored.Post.Platform, PostText.Excerpt(stored.Post.Text, QuoteLength), WebLink.SafeLink(stored.Post.Url), 1, string.Join(';', stored.Classification.Labels));
        }

        var silent = accounts.Agencies()
            .Where(a => query.State is null || string.Equals(a.State, query.State, StringComparison.OrdinalIgnoreCase))
            .Where(a => !responded.ContainsKey(a.Id))
            .Select(a => new RoundupAgency(a.Id, a.Name, a.State, false, null, null, null, null, null, 0, ""))
            .ToList();

        return new RoundupReport(
            query.FromDate.ToString("yyyy-MM-dd"), query.ToDate.ToString("yyyy-MM-dd"), query.FullText,
            query.Label is null ? $"{Labels.Condolence} or {Labels.Memorial}" : query.Label, query.State, zone.Id,
            GroupByState(responded.Values, a => a.FirstPostAt), GroupByState(silent, a => null), responded.Count, silent.Count);
    }

    private static List<RoundupState> GroupByState(IEnumerable<RoundupAgency> agencies, Func<RoundupAgency, DateTimeOffset?> order) =>
        agencies
            .GroupBy(a => string.IsNullOrWhiteSpace(a.State) ? NoState : a.State.Trim().ToUpperInvariant())
            .OrderBy(g => g.Key == NoState ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RoundupState(g.Key, g.OrderBy(order).ThenBy(a => a.AgencyName, StringComparer.OrdinalIgnoreCase).ToList()))
            .ToList();
}
