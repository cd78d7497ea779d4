namespace SolidarityTracker.Incidents;

/// <summary>
/// The one incident grouping, used by the digest (a day's posts) and by live detection (the posts of the last
/// Alerts:Incident:Window). Every name a post gives (officer, hashtag, agency mentioned, place, other mention) is a
/// candidate; the one most agencies share opens an incident, and any other candidate whose posts mostly fall inside
/// it is the same loss under another name. Repeat with what is left.
/// </summary>
public static class IncidentGrouping
{
    /// <summary>The names a post gives its loss, best first; an agency naming itself is not a loss.</summary>
    public static IEnumerable<LossName> Names(PostReferences references, string agencyId, IReadOnlyDictionary<string, (string Id, string Name)> handles)
    {
        foreach (var (key, title) in references.Officers) yield return new(key, "officer", 0, title);
        foreach (var (key, title) in references.Hashtags) yield return new(key, "hashtag", 1, title);
        foreach (var handle in references.Mentions)
        {
            if (handles.TryGetValue(handle, out var agency)) { if (!string.Equals(agency.Id, agencyId, StringComparison.OrdinalIgnoreCase)) yield return new("agency:" + agency.Id, "agency", 2, agency.Name); }
            else yield return new("mention:" + handle, "mention", 4, "@" + handle);
        }
        foreach (var (key, title) in references.Places) yield return new(key, "place", 3, title);
    }

    /// <summary>Groups of posts about one loss with at least <paramref name="minAgencies"/> agencies, most agencies first, at most <paramref name="maxGroups"/>.</summary>
    public static List<IncidentGroup> Group(IReadOnlyList<GroupedPost> posts, IReadOnlyDictionary<string, (string Id, string Name)> handles, int minAgencies, int maxGroups = int.MaxValue)
    {
        var candidates = new Dictionary<string, Candidate>();
        for (var i = 0; i < posts.Count; i++)
        {
            if (!posts[i].Counts) continue;
            foreach (var name in Names(posts[i].References, posts[i].AgencyId, handles))
            {
                if (!candidates.TryGetValue(name.Key, out var candidate)) candidates[name.Key] = candidate = new Candidate(name.Key, name.Kind, name.Priority);
                candidate.Titles[name.Title] = candidate.Titles.GetValueOrDefault(name.Title) + 1;
                candidate.Posts.Add(i);
                candidate.Agencies.Add(posts[i].AgencyId);
            }
        }

        var open = candidates.Values.Where(c => c.Agencies.Count >= minAgencies)
            .OrderByDescending(c => c.Agencies.Count).ThenBy(c => c.Priority).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var assigned = new HashSet<int>();
        var groups = new List<IncidentGroup>();
        var consumed = new HashSet<string>();
        foreach (var seed in open)
        {
            if (groups.Count >= maxGroups) break;
            if (consumed.Contains(seed.Key)) continue;
            var members = seed.Posts.Where(p => !assigned.Contains(p)).ToHashSet();
            if (members.Select(p => posts[p].AgencyId).Distinct(StringComparer.OrdinalIgnoreCase).Count() < minAgencies) continue;
            consumed.Add(seed.Key);
            var group = new List<Candidate> { seed };
            foreach (var other in open)
            {
                if (consumed.Contains(other.Key)) continue;
                var inside = other.Posts.Count(members.Contains);
                if (inside * 2 >= other.Posts.Count)
                {
                    group.Add(other);
                    consumed.Add(other.Key);
                }
            }
            foreach (var other in group.Skip(1)) members.UnionWith(other.Posts.Where(p => !assigned.Contains(p)));
            assigned.UnionWith(members);

            var named = group.OrderBy(c => c.Priority).ThenByDescending(c => c.Agencies.Count).First();
            var aliases = group.Where(c => c != named).OrderBy(c => c.Priority).ThenByDescending(c => c.Agencies.Count).Select(c => c.Title).Take(6).ToList();
            groups.Add(new IncidentGroup(named.Key, named.Kind, named.Title, aliases, group.Select(c => c.Key).ToList(), members));
        }
        return groups;
    }

    /// <summary>Normalised handle -> agency, so "@MillbrookPD" in a post names the agency that owns the account.</summary>
    public static Dictionary<string, (string Id, string Name)> Handles(IReadOnlyList<AccountState> accounts, IReadOnlyDictionary<string, Agency> agencies)
    {
        var index = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var account in accounts)
        {
            if (account.Platform == Platforms.Rss) continue;
            var name = agencies.TryGetValue(account.AgencyId, out var agency) ? agency.Name : account.AgencyId;
            var handle = account.Handle.TrimStart('@');
            index.TryAdd(handle, (account.AgencyId, name));
            // Mastodon "user@instance" and Bluesky "name.bsky.social" are also written as their first part.
            var shortHandle = handle.Split('@', '.')[0];
            if (shortHandle.Length >= 3) index.TryAdd(shortHandle, (account.AgencyId, name));
        }
        return index;
    }

    private sealed class Candidate(string key, string kind, int priority)
    {
        public string Key { get; } = key;
        public string Kind { get; } = kind;
        public int Priority { get; } = priority;
        public Dictionary<string, int> Titles { get; } = [];
        public HashSet<int> Posts { get; } = [];
        public HashSet<string> Agencies { get; } = new(StringComparer.OrdinalIgnoreCase);
        public string Title => Titles.OrderByDescending(t => t.Key.Split(' ').Length).ThenByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).First().Key;
    }
}
