using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Incidents;

/// <summary>
/// Live incident detection, inside the transaction of a polled page. A new condolence or memorial post created within
/// Alerts:Incident:Window joins the incident whose names it shares; otherwise the condolence and memorial posts of the
/// window that belong to no incident are grouped (<see cref="IncidentGrouping"/>, the digest's grouping), and a group
/// of Alerts:Incident:MinAgencies agencies that holds one of the new posts opens an incident. Posts created long ago
/// (a backfill, an import) never count: they are outside the window.
/// </summary>
public sealed class IncidentDetector(TrackerSettings settings)
{
    /// <summary>A post naming an incident this recently active joins it rather than opening a second one for the same loss.</summary>
    public static readonly TimeSpan JoinWithin = TimeSpan.FromDays(2);

    private static readonly TimeSpan DirectoryLifetime = TimeSpan.FromMinutes(5);
    private const int MaxCachedReferences = 200_000;

    private readonly IncidentAlertOptions _options = settings.Alerts.Incident;
    // References are pure functions of a post's text; a wave's posts are grouped again on every page, so keep them.
    private readonly ConcurrentDictionary<long, PostReferences> _references = new();
    private Directory? _directory;

    /// <summary>Agencies (name, state) and the handle index, read from the store at most every few minutes.</summary>
    internal sealed record Directory(Dictionary<string, (string Id, string Name)> Handles, Dictionary<string, Agency> Agencies, DateTimeOffset ReadAt);

    public static bool Counts(ClassificationResult classification) =>
        classification.Has(Labels.Condolence) || classification.Has(Labels.Memorial);

    /// <summary>The advisory lock key incident detection takes on PostgreSQL ("ST" "incd").</summary>
    public const long IncidentLock = 0x5354_696e_6364;

    public IncidentChanges Detect(StoredPage page)
    {
        var since = page.Now - _options.Window;
        var fresh = page.Added.Where(p => Counts(p.Classification) && p.Post.CreatedAt >= since && p.Post.CreatedAt <= page.Now + TimeSpan.FromHours(1)).ToList();
        if (fresh.Count == 0) return IncidentChanges.None;
        // With several nodes on PostgreSQL (and a node's concurrent pages) only one page at a time groups and opens
        // incidents: the lock lasts until the page's transaction ends, and the next holder sees what it committed.
        if (SqlDialect.IsPostgres(page.Connection)) TrackerDatabase.Execute(page.Connection, $"SELECT pg_advisory_xact_lock({IncidentLock});", page.Transaction);
        var directory = DirectoryOf(page.Connection, page.Transaction, page.Now);
        var connection = page.Connection;
        var transaction = page.Transaction;

        // 1. Posts naming a recent incident join it.
        var recent = RecentIncidents(connection, transaction, page.Now - JoinWithin);
        var grown = new HashSet<long>();
        var left = new List<NewPost>();
        foreach (var post in fresh)
        {
            var agency = post.Post.AgencyId ?? page.Account.AgencyId;
            var names = IncidentGrouping.Names(References(post.Id, post.Post.Text), agency, directory.Handles).Select(n => n.Key).ToList();
            var match = recent.FirstOrDefault(i => names.Any(i.Keys.Contains));
            if (match.Id == 0) { left.Add(post); continue; }
            if (AddPost(connection, transaction, match.Id, post.Id, agency, post.Post.CreatedAt, names.Where(match.Keys.Contains), alerted: false)) grown.Add(match.Id);
        }

        // 2. The rest: group the window's unassigned condolences and memorials; a big enough group holding a new post opens an incident.
        var opened = new List<long>();
        if (left.Count > 0)
        {
            var window = WindowPosts(connection, transaction, since);
            var grouped = window.Select(w => new GroupedPost(w.AgencyId, true, References(w.Id, w.Text))).ToList();
            var newIds = left.Select(p => p.Id).ToHashSet();
            foreach (var group in IncidentGrouping.Group(grouped, directory.Handles, _options.MinAgencies))
            {
                if (!group.Members.Any(m => newIds.Contains(window[m].Id))) continue;
                var members = group.Members.Select(m => window[m]).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
                var id = Open(connection, transaction, group, members[0], members[^1].CreatedAt, page.Now);
                foreach (var member in members)
                {
                    var names = IncidentGrouping.Names(References(member.Id, member.Text), member.AgencyId, directory.Handles).Select(n => n.Key).Where(group.Keys.Contains);
                    AddPost(connection, transaction, id, member.Id, member.AgencyId, member.CreatedAt, names, alerted: true);
                }
                opened.Add(id);
            }
        }
        if (_references.Count > MaxCachedReferences) _references.Clear();
        return new IncidentChanges(opened, grown.ToList());
    }

    private PostReferences References(long id, string text) => _references.GetOrAdd(id, _ => ReferenceExtractor.Extract(text));

    private Directory DirectoryOf(DbConnection connection, DbTransaction transaction, DateTimeOffset now)
    {
        var cached = _directory;
        if (cached is not null && now - cached.ReadAt < DirectoryLifetime && now >= cached.ReadAt) return cached;
        var agencies = new Dictionary<string, Agency>(StringComparer.OrdinalIgnoreCase);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, name, state FROM agencies;";
            using var r = command.ExecuteReader();
            while (r.Read()) agencies[r.GetString(0)] = new Agency(r.GetString(0), r.GetString(1), StringOrNull(r, 2));
        }
        var accounts = new List<AccountState>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, agency_id, platform, handle FROM accounts WHERE configured = 1;";
            using var r = command.ExecuteReader();
            while (r.Read()) accounts.Add(new AccountState { Id = r.GetInt64(0), AgencyId = r.GetString(1), Platform = r.GetString(2), Handle = r.GetString(3) });
        }
        return _directory = new Directory(IncidentGrouping.Handles(accounts, agencies), agencies, now);
    }

    private readonly record struct RecentIncident(long Id, HashSet<string> Keys);

    private static List<RecentIncident> RecentIncidents(DbConnection connection, DbTransaction transaction, DateTimeOffset since)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, keys FROM incidents WHERE last_at >= @since ORDER BY last_at DESC;";
        command.Parameters.AddWithValue("@since", ToDb(since));
        var list = new List<RecentIncident>();
        using var r = command.ExecuteReader();
        while (r.Read()) list.Add(new(r.GetInt64(0), JsonSerializer.Deserialize<List<string>>(r.GetString(1))!.ToHashSet()));
        return list;
    }

    private readonly record struct WindowPost(long Id, string AgencyId, string Text, DateTimeOffset CreatedAt);

    /// <summary>The condolences and memorials created since <paramref name="since"/> that belong to no incident, oldest first.</summary>
    private static List<WindowPost> WindowPosts(DbConnection connection, DbTransaction transaction, DateTimeOffset since)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT p.id, COALESCE(p.agency_id, p.account), p.text, p.created_at
            FROM posts p JOIN classifications c ON c.post_id = p.id
            WHERE p.created_at >= @since AND p.deleted_at IS NULL
              AND ((';' || c.labels || ';') LIKE '%;condolence;%' OR (';' || c.labels || ';') LIKE '%;memorial;%')
              AND NOT EXISTS (SELECT 1 FROM incident_posts ip WHERE ip.post_id = p.id)
            ORDER BY p.created_at, p.id;
            """;
        command.Parameters.AddWithValue("@since", ToDb(since));
        var list = new List<WindowPost>();
        using var r = command.ExecuteReader();
        while (r.Read()) list.Add(new(r.GetInt64(0), r.GetString(1), r.GetString(2), FromDb(r.GetString(3))));
        return list;
    }

    private static long Open(DbConnection connection, DbTransaction transaction, IncidentGroup group, WindowPost first, DateTimeOffset lastAt, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO incidents (key, kind, title, aliases, keys, first_post_id, first_at, last_at, opened_at, alerted_at)
            VALUES (@key, @kind, @title, @aliases, @keys, @first, @first_at, @last_at, @now, @now) RETURNING id;
            """;
        command.Parameters.AddWithValue("@key", group.Key);
        command.Parameters.AddWithValue("@kind", group.Kind);
        command.Parameters.AddWithValue("@title", group.Title);
        command.Parameters.AddWithValue("@aliases", JsonSerializer.Serialize(group.Aliases));
        command.Parameters.AddWithValue("@keys", JsonSerializer.Serialize(group.Keys));
        command.Parameters.AddWithValue("@first", first.Id);
        command.Parameters.AddWithValue("@first_at", ToDb(first.CreatedAt));
        command.Parameters.AddWithValue("@last_at", ToDb(lastAt));
        command.Parameters.AddWithValue("@now", ToDb(now));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Adds a post (with the names that tie it to the incident, its evidence) and its agency; true when the agency is new to the incident.</summary>
    private static bool AddPost(DbConnection connection, DbTransaction transaction, long incident, long post, string agency, DateTimeOffset createdAt, IEnumerable<string> names, bool alerted)
    {
        bool known;
        using (var exists = connection.CreateCommand())
        {
            exists.Transaction = transaction;
            exists.CommandText = "SELECT COUNT(*) FROM incident_agencies WHERE incident_id = @incident AND agency_id = @agency;";
            exists.Parameters.AddWithValue("@incident", incident);
            exists.Parameters.AddWithValue("@agency", agency);
            known = Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        }
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO incident_posts (incident_id, post_id, evidence) VALUES (@incident, @post, @evidence) ON CONFLICT DO NOTHING;
            UPDATE incidents SET last_at = {SqlDialect.Greatest(command, "last_at", "@at")} WHERE id = @incident;
            UPDATE incident_agencies SET posts = posts + 1 WHERE incident_id = @incident AND agency_id = @agency;
            INSERT INTO incident_agencies (incident_id, agency_id, first_post_id, first_at, posts, alerted)
            VALUES (@incident, @agency, @post, @at, 1, @alerted) ON CONFLICT DO NOTHING;
            """;
        command.Parameters.AddWithValue("@incident", incident);
        command.Parameters.AddWithValue("@post", post);
        command.Parameters.AddWithValue("@evidence", JsonSerializer.Serialize(names.Distinct().ToList()));
        command.Parameters.AddWithValue("@at", ToDb(createdAt));
        command.Parameters.AddWithValue("@agency", agency);
        command.Parameters.AddWithValue("@alerted", alerted ? 1 : 0);
        command.ExecuteNonQuery();
        return !known;
    }
}
