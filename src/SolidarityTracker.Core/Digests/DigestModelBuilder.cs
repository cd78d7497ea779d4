using SolidarityTracker.Incidents;

namespace SolidarityTracker.Digests;

/// <summary>Turns one local day's posts into the template model: summary, incidents, label sections, mentions, charts, failures.</summary>
public static class DigestModelBuilder
{
    public static readonly IReadOnlyDictionary<string, (string Title, string Color)> LabelLooks = new Dictionary<string, (string, string)>
    {
        [Labels.Condolence] = ("Condolences", "#2563eb"),
        [Labels.Memorial] = ("Memorials", "#7c3aed"),
        [Labels.SafetyReminder] = ("Safety reminders", "#d97706"),
    };

    public static (string Name, string Icon) PlatformLook(string platform) => platform switch
    {
        Platforms.X => ("X", "𝕏"),
        Platforms.Mastodon => ("Mastodon", "🐘"),
        Platforms.Bluesky => ("Bluesky", "🦋"),
        Platforms.Rss => ("News feed", "📰"),
        // An archive may bring any platform name: keep it to letters and digits so templates can print it as is.
        _ => (new string(platform.Where(char.IsLetterOrDigit).Take(24).ToArray()), "•"),
    };

    private const int MaxIncidents = 8;
    private const int QuotesPerIncident = 3;
    private const int TopMentions = 10;

    public static DigestModel Build(DigestInput input)
    {
        var (fromUtc, toUtc) = LocalDay.Bounds(input.Date, input.Zone);
        var agencies = input.Agencies.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        var posts = input.Posts.Select(p => ToPost(p, input.Zone, agencies)).ToList();
        var byLabel = Labels.All.ToDictionary(l => l, l => posts.Where(p => p.Labels.Contains(l)).ToList());
        var labelCounts = byLabel.ToDictionary(b => b.Key, b => b.Value.Count);

        var summary = new DigestSummary(
            Posts: posts.Count,
            Agencies: posts.Select(p => p.AgencyId).Distinct().Count(),
            PreviousPosts: input.PreviousPosts,
            PostsChange: Change(posts.Count, input.PreviousPosts),
            OtherPosts: posts.Count(p => p.Labels.Count == 0),
            Labels: Labels.All.Select(l => LabelCount(l, byLabel[l], input.PreviousLabelCounts.GetValueOrDefault(l))).ToList(),
            Platforms: posts.GroupBy(p => p.Platform).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .Select(g => new DigestPlatformCount(g.Key, g.Count())).ToList());

        var date = input.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sections = Labels.All.Where(l => labelCounts[l] > 0)
            .Select(label => Section(label, byLabel[label], date, input.MaxPostsPerSection, input.DashboardUrl)).ToList();

        var handles = IncidentGrouping.Handles(input.Accounts, agencies);
        var references = input.Posts.Select(p => ReferenceExtractor.Extract(p.Post.Text)).ToList();
        var (topPlaces, topAgencies) = Mentions(posts, references, handles);
        var incidents = Incidents(posts, references, handles);

        var hours = (int)Math.Round((toUtc - fromUtc).TotalHours);
        var charts = Labels.All.Where(l => labelCounts[l] > 0)
            .Select(l => Chart(l, input.Posts.Where(p => p.Classification.Has(l)).Select(p => p.Post.CreatedAt), fromUtc, hours, input.Zone))
            .ToList();

        var changes = input.ProfileChanges.Select(c => new DigestProfileChange
        {
            AgencyId = c.AgencyId,
            AgencyName = c.AgencyName,
            Platform = c.Platform,
            Handle = c.Handle,
            Time = LocalDay.ToLocal(c.SeenAt, input.Zone).ToString("HH:mm", CultureInfo.InvariantCulture),
            NameChanged = c.OldName != c.NewName,
            AvatarChanged = c.OldAvatarUrl != c.NewAvatarUrl,
            OldName = c.OldName,
            NewName = c.NewName,
            OldAvatar = WebLink.SafeLink(c.OldAvatarUrl),
            NewAvatar = WebLink.SafeLink(c.NewAvatarUrl),
            OldAvatarUrl = c.OldAvatarUrl,
            NewAvatarUrl = c.NewAvatarUrl,
        }).Where(c => c.NameChanged || c.AvatarChanged).ToList();

        string AgencyName(string id) => agencies.TryGetValue(id, out var a) ? a.Name : id;
        var failing = input.Accounts.Where(a => a.ConsecutiveFailures > 0 && a.Enabled)
            .OrderByDescending(a => a.ConsecutiveFailures).ThenBy(a => AgencyName(a.AgencyId), StringComparer.OrdinalIgnoreCase)
            .Select(a => new DigestFailingAccount
            {
                AgencyId = a.AgencyId,
                AgencyName = AgencyName(a.AgencyId),
                Platform = a.Platform,
                Handle = a.Handle,
                ErrorKind = a.LastErrorKind,
                Error = a.LastError,
                ConsecutiveFailures = a.ConsecutiveFailures,
                LastErrorAt = LocalStamp(a.LastErrorAt, input.Zone),
                LastSuccessAt = LocalStamp(a.LastSuccessAt, input.Zone),
            }).ToList();

        return new DigestModel
        {
            Date = date,
            DateLong = input.Date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture),
            PreviousDate = input.Date.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            TimeZone = input.Zone.Id,
            Hours = hours,
            FromUtc = TrackerDatabase.ToDb(fromUtc),
            ToUtc = TrackerDatabase.ToDb(toUtc),
            UtcOffset = UtcOffset(fromUtc, toUtc, input.Zone),
            GeneratedAt = LocalDay.ToLocal(input.Now, input.Zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            Title = $"Solidarity digest {date}",
            HasPosts = posts.Count > 0,
            Summary = summary,
            Incidents = incidents,
            LabelSections = sections,
            TopPlaces = topPlaces,
            TopAgencies = topAgencies,
            ProfileChanges = changes,
            Charts = charts,
            FailingAccounts = failing,
        };
    }

    /// <summary>
    /// One label's section: every count exact, at most <paramref name="maxPosts"/> posts shown. The cap is spread
    /// breadth first over the agencies (most posts first): each gets one post before any gets a second, so a
    /// 20,000-post day shows fifty agencies' voices rather than five agencies' whole days.
    /// </summary>
    private static DigestLabelSection Section(string label, List<DigestPost> labelled, string date, int maxPosts, string? dashboardUrl)
    {
        var groups = labelled.GroupBy(p => p.AgencyId)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.First().AgencyName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.ToList()).ToList();
        // Groups are sorted by size, so those with more than `round` posts are a prefix: each round gives one more
        // post to each agency of that prefix until the cap runs out.
        var quota = new int[groups.Count];
        var left = maxPosts;
        for (var round = 0; left > 0; round++)
        {
            var reach = 0;
            while (reach < groups.Count && groups[reach].Count > round) reach++;
            if (reach == 0) break;
            for (var i = 0; i < reach && left > 0; i++, left--) quota[i]++;
        }
        var shown = groups.Select((g, i) => (Posts: g, Take: quota[i])).Where(g => g.Take > 0).Select(g => new DigestAgencyPosts(
            g.Posts[0].AgencyId, g.Posts[0].AgencyName, g.Posts[0].AgencyState,
            PostCount: g.Posts.Count, Posts: g.Posts.Take(g.Take).ToList(), More: g.Posts.Count - g.Take)).ToList();
        var shownPosts = shown.Sum(a => a.Posts.Count);
        return new DigestLabelSection
        {
            Name = label,
            Count = labelled.Count,
            AgencyCount = groups.Count,
            Agencies = shown,
            Shown = shownPosts,
            More = labelled.Count - shownPosts,
            MoreAgencies = groups.Count - shown.Count,
            ExportCommand = $"SolidarityTracker export --from {date} --to {date} --label {label} --format csv --out {label}-{date}.csv",
            RoundupCommand = $"SolidarityTracker roundup --from {date} --to {date} --label {label} --format html --out roundup-{label}-{date}.html",
            SearchUrl = dashboardUrl is null ? null : $"{dashboardUrl.TrimEnd('/')}/search?from={date}&to={date}&label={label}",
        };
    }

    private static DigestPost ToPost(StoredPost stored, TimeZoneInfo zone, IReadOnlyDictionary<string, Agency> agencies)
    {
        var post = stored.Post;
        var local = LocalDay.ToLocal(post.CreatedAt, zone);
        var agencyId = post.AgencyId ?? post.Account;
        agencies.TryGetValue(agencyId, out var agency);
        var labels = Labels.All.Where(stored.Classification.Has).ToList();
        var evidence = stored.Classification.Evidence
            .Select(e => new DigestEvidence { Label = e.Label, Phrase = e.Phrase, Weight = e.Weight }).ToList();
        return new DigestPost
        {
            Id = stored.Id,
            PostId = post.PostId,
            Platform = post.Platform,
            Account = post.Account,
            AgencyId = agencyId,
            AgencyName = stored.AgencyName ?? agency?.Name ?? agencyId,
            AgencyState = stored.AgencyState ?? agency?.State,
            Time = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            LocalTime = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            CreatedAt = TrackerDatabase.ToDb(post.CreatedAt),
            Text = post.Text,
            Url = post.Url,
            Link = WebLink.SafeLink(post.Url),
            Labels = labels,
            Evidence = evidence,
            EvidenceText = EvidenceText(evidence),
            IsRepost = post.IsRepost,
            IsReply = post.IsReply,
        };
    }

    /// <summary>"condolence: thoughts and prayers; memorial: mourning band, EOW": phrases grouped by label.</summary>
    private static string EvidenceText(List<DigestEvidence> evidence) => evidence.Count switch
    {
        0 => "",
        // Most posts carry one phrase; skip the grouping for them.
        1 => $"{evidence[0].Label}: {evidence[0].Phrase}",
        _ => string.Join("; ", evidence.GroupBy(e => e.Label).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Phrase).Distinct())}")),
    };

    private static DigestLabelCount LabelCount(string label, IReadOnlyList<DigestPost> posts, int previous) =>
        new(label, posts.Count, Agencies: posts.Select(p => p.AgencyId).Distinct().Count(), previous, Change(posts.Count, previous));

    private static string Change(int now, int before) => (now - before) switch
    {
        0 => "±0",
        > 0 and var d => $"+{d}",
        var d => $"−{-d}",
    };

    private static string? LocalStamp(DateTimeOffset? instant, TimeZoneInfo zone) =>
        instant is { } i ? LocalDay.ToLocal(i, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : null;

    /// <summary>The local day's offset from UTC, "UTC-04:00"; on a day the clocks change, both: "UTC-04:00, then UTC-05:00".</summary>
    private static string UtcOffset(DateTimeOffset fromUtc, DateTimeOffset toUtc, TimeZoneInfo zone)
    {
        static string Of(TimeSpan offset) => "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        var start = zone.GetUtcOffset(fromUtc);
        var end = zone.GetUtcOffset(toUtc.AddTicks(-1));
        return start == end ? Of(start) : $"{Of(start)}, then {Of(end)}";
    }

    private static (List<DigestMention> Places, List<DigestMention> Agencies) Mentions(
        IReadOnlyList<DigestPost> posts, IReadOnlyList<PostReferences> references, Dictionary<string, (string Id, string Name)> handles)
    {
        var places = new Dictionary<string, (string Title, HashSet<int> Posts, HashSet<string> Agencies)>();
        var agencies = new Dictionary<string, (string Title, HashSet<int> Posts, HashSet<string> Agencies)>();
        for (var i = 0; i < posts.Count; i++)
        {
            foreach (var (key, title) in references[i].Places) Count(places, key, title, i, posts[i].AgencyId);
            foreach (var handle in references[i].Mentions)
            {
                if (handles.TryGetValue(handle, out var agency))
                {
                    if (agency.Id != posts[i].AgencyId) Count(agencies, agency.Id, agency.Name, i, posts[i].AgencyId);
                }
                else Count(agencies, "@" + handle, "@" + handle, i, posts[i].AgencyId);
            }
        }
        return (Top(places), Top(agencies));

        static void Count(Dictionary<string, (string Title, HashSet<int> Posts, HashSet<string> Agencies)> counts, string key, string title, int post, string agency)
        {
            if (!counts.TryGetValue(key, out var entry)) counts[key] = entry = (title, [], new HashSet<string>(StringComparer.OrdinalIgnoreCase));
            else if (title.Length > entry.Title.Length) counts[key] = entry = (title, entry.Posts, entry.Agencies);
            entry.Posts.Add(post);
            entry.Agencies.Add(agency);
        }

        static List<DigestMention> Top(Dictionary<string, (string Title, HashSet<int> Posts, HashSet<string> Agencies)> counts) =>
            counts.Values.Where(v => v.Posts.Count >= 2 || counts.Count <= TopMentions)
                .OrderByDescending(v => v.Agencies.Count).ThenByDescending(v => v.Posts.Count).ThenBy(v => v.Title, StringComparer.OrdinalIgnoreCase)
                .Take(TopMentions)
                .Select(v => new DigestMention { Name = v.Title, Posts = v.Posts.Count, Agencies = v.Agencies.Count }).ToList();
    }

    /// <summary>The day's incidents from the one incident grouping (<see cref="IncidentGrouping"/>): any labelled post, two agencies or more.</summary>
    private static List<DigestIncident> Incidents(IReadOnlyList<DigestPost> posts, IReadOnlyList<PostReferences> references, Dictionary<string, (string Id, string Name)> handles)
    {
        var grouped = new GroupedPost[posts.Count];
        for (var i = 0; i < grouped.Length; i++) grouped[i] = new GroupedPost(posts[i].AgencyId, posts[i].Labels.Count > 0, references[i]);
        return IncidentGrouping.Group(grouped, handles, minAgencies: 2, MaxIncidents).Select(group =>
        {
            var ordered = group.Members.Select(p => posts[p]).OrderBy(p => p.CreatedAt, StringComparer.Ordinal).ThenBy(p => p.Id).ToList();
            return new DigestIncident
            {
                Title = group.Title,
                Kind = group.Kind,
                Aliases = group.Aliases,
                PostCount = ordered.Count,
                AgencyCount = ordered.Select(p => p.AgencyId).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                Agencies = ordered.GroupBy(p => p.AgencyId, StringComparer.OrdinalIgnoreCase)
                    .Select(g => new DigestAgencyRef { Id = g.Key, Name = g.First().AgencyName, State = g.First().AgencyState }).ToList(),
                Labels = Labels.All.Select(l => LabelCount(l, ordered.Where(p => p.Labels.Contains(l)).ToList(), 0)).Where(l => l.Count > 0).ToList(),
                First = ordered[0],
                Latest = ordered[^1],
                Quotes = Quotes(ordered),
                Key = group.Key,
                PostIds = ordered.Select(p => p.Id).ToList(),
            };
        }).ToList();
    }

    /// <summary>A few voices from different agencies: original posts before reposts, condolences and memorials first.</summary>
    private static List<DigestPost> Quotes(IReadOnlyList<DigestPost> posts) =>
        posts.Where(p => !p.IsRepost)
            .OrderByDescending(p => p.Labels.Contains(Labels.Condolence) || p.Labels.Contains(Labels.Memorial))
            .ThenBy(p => p.CreatedAt, StringComparer.Ordinal)
            .DistinctBy(p => p.AgencyId, StringComparer.OrdinalIgnoreCase)
            .Take(QuotesPerIncident)
            .ToList();

    private const int ChartWidth = 480;
    private const int ChartHeight = 96;
    private const int ChartBaseline = 76;

    private static DigestChart Chart(string label, IEnumerable<DateTimeOffset> times, DateTimeOffset fromUtc, int hours, TimeZoneInfo zone)
    {
        var counts = new int[hours];
        foreach (var t in times)
        {
            var index = (int)Math.Floor((t - fromUtc).TotalHours);
            if (index >= 0 && index < hours) counts[index]++;
        }
        var max = counts.Max();
        var slot = (double)ChartWidth / hours;
        var bars = new List<DigestChartBar>(hours);
        var ticks = new List<DigestChartTick>();
        for (var h = 0; h < hours; h++)
        {
            var hour = LocalDay.ToLocal(fromUtc.AddHours(h), zone).ToString("HH", CultureInfo.InvariantCulture);
            var height = max == 0 ? 0 : Math.Round((ChartBaseline - 4) * counts[h] / (double)max, 1);
            if (counts[h] > 0 && height < 1.5) height = 1.5;
            bars.Add(new DigestChartBar(hour, counts[h],
                X: Math.Round(h * slot + 1, 1), Y: Math.Round(ChartBaseline - height, 1), Width: Math.Round(slot - 2, 1), Height: height));
            if (h % 3 == 0) ticks.Add(new DigestChartTick(hour, X: Math.Round(h * slot + slot / 2, 1)));
        }
        // An empty hour is the lowest block; any post lifts its hour at least one step above it.
        const string levels = "▂▃▄▅▆▇█";
        var sparkline = string.Concat(counts.Select(c => c == 0 ? '▁' : levels[Math.Min(levels.Length - 1, (int)Math.Ceiling(c * (double)levels.Length / max) - 1)]));
        var peak = Array.IndexOf(counts, max);
        return new DigestChart(label, Total: counts.Sum(), max, sparkline, PeakHour: bars[peak].Hour,
            ChartWidth, ChartHeight, ChartBaseline, bars, ticks);
    }
}
