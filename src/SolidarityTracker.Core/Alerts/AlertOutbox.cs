using Microsoft.Data.Sqlite;
using SolidarityTracker.Incidents;
using SolidarityTracker.Sources;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Alerts;

/// <summary>
/// Writes alerts into the outbox (the alerts table, one alert_deliveries row per configured channel). Incident and
/// watch alerts are written inside the transaction of the page whose posts raise them (<see cref="IPageObserver"/>),
/// so a crash keeps both or neither; the dispatcher sends them. A watch's alert is held until its poll cycle ends
/// (<see cref="FinishCycleAsync"/>), so a cycle's matches make one message.
/// </summary>
public sealed class AlertOutbox(TrackerDatabase database, TrackerSettings settings, IncidentDetector detector, TimeProvider time, ILogger<AlertOutbox> logger) : IPageObserver
{
    /// <summary>The most posts one alert carries; the count in its title says how many there were.</summary>
    public const int MaxPostsPerAlert = 25;
    /// <summary>A watch takes posts created this recently: a first poll's back-fill does not flood it.</summary>
    public static readonly TimeSpan WatchFreshness = TimeSpan.FromDays(1);

    private readonly AlertsOptions _options = settings.Alerts;
    private readonly IReadOnlyList<string> _channels = AlertChannels.Names(settings.Alerts);

    /// <summary>Raised after a commit that wrote alerts ready to send (the dispatcher listens).</summary>
    public event Action? Written;

    /// <summary>Called by PostStore inside the page's transaction.</summary>
    public void Stored(StoredPage page)
    {
        var written = 0;
        var changes = detector.Detect(page);
        foreach (var id in changes.Opened) written += IncidentAlert(page.Connection, page.Transaction, id, page.Now, opening: true);
        foreach (var id in changes.Grown.Except(changes.Opened)) written += IncidentAlert(page.Connection, page.Transaction, id, page.Now, opening: false);
        foreach (var watch in _options.Watches) written += Watch(page, watch);
        page.Alerts += written;
    }

    /// <summary>After the page's commit: its alerts are in the outbox for the dispatcher to see.</summary>
    public void Committed(StoredPage page)
    {
        if (page.Alerts > 0) Written?.Invoke();
    }

    /// <summary>
    /// An incident alert for a new incident, or an update naming the agencies not yet announced, when the last alert
    /// of the incident is at least Alerts:Incident:UpdateEvery old. Returns the alerts written (0 or 1).
    /// </summary>
    private int IncidentAlert(DbConnection connection, DbTransaction transaction, long id, DateTimeOffset now, bool opening)
    {
        var incident = IncidentStore.Read(connection, transaction, id);
        if (incident is null) return 0;
        var fresh = opening ? incident.Agencies : incident.Agencies.Where(a => !a.Alerted).ToList();
        if (fresh.Count == 0) return 0;
        if (!opening && now - incident.AlertedAt < _options.Incident.UpdateEvery) return 0;
        var states = incident.Agencies.Select(a => a.State).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var title = opening
            ? $"Incident: {incident.Title} ({incident.Agencies.Count} agencies{StatesText(states)} within {Hours(_options.Incident.Window)})"
            : $"Incident update: {incident.Title} ({fresh.Count} more {Plural(fresh.Count, "agency", "agencies")}, {incident.Agencies.Count} in all)";
        var posts = fresh.Select(a => ToAlertPost(a.FirstPost)).Take(MaxPostsPerAlert).ToList();
        Insert(connection, transaction, opening ? AlertMessage.Incident : AlertMessage.IncidentUpdate, title, now, incident.Id, watch: null, held: false,
            fresh.Select(a => new AlertAgency(a.Id, a.Name, a.State)).ToList(), posts);
        Execute(connection, transaction, "UPDATE incident_agencies SET alerted = 1 WHERE incident_id = @id; UPDATE incidents SET alerted_at = @now WHERE id = @id;",
            c => { c.Parameters.AddWithValue("@id", id); c.Parameters.AddWithValue("@now", ToDb(now)); });
        return 1;
    }

    private static string StatesText(int states) => states > 1 ? $" in {states} states" : "";

    private static string Hours(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours)
        ? $"{span.TotalHours:0} {Plural((int)span.TotalHours, "hour", "hours")}" : $"{span.TotalMinutes:0} minutes";

    private static string Plural(int n, string one, string many) => n == 1 ? one : many;

    private static AlertPost ToAlertPost(IncidentPost post) =>
        new(post.Platform, post.PostId, post.AgencyId, post.Url, post.Text, post.Labels, ToDb(post.CreatedAt));

    /// <summary>Adds the page's new posts matching the watch to the watch's held alert (made when there is none).</summary>
    private int Watch(StoredPage page, WatchOptions watch)
    {
        var fresh = page.Added.Where(p => p.Post.CreatedAt >= page.Now - WatchFreshness && Matches(watch, p, page.Account)).ToList();
        if (fresh.Count == 0) return 0;
        if (!string.IsNullOrWhiteSpace(watch.Query))
        {
            var matching = FullTextMatches(page, watch.Query, fresh.Select(p => p.Id).ToList());
            fresh = fresh.Where(p => matching.Contains(p.Id)).ToList();
            if (fresh.Count == 0) return 0;
        }
        var agencies = AgencyRows(page.Connection, page.Transaction, fresh.Select(p => p.Post.AgencyId ?? page.Account.AgencyId));
        var posts = fresh.Select(p => new AlertPost(p.Post.Platform, p.Post.PostId, p.Post.AgencyId ?? page.Account.AgencyId, p.Post.Url, p.Post.Text,
            p.Classification.Labels, ToDb(p.Post.CreatedAt))).ToList();

        using var held = page.Connection.CreateCommand();
        held.Transaction = page.Transaction;
        held.CommandText = "SELECT id, body FROM alerts WHERE watch = @watch AND held = 1 LIMIT 1;";
        held.Parameters.AddWithValue("@watch", watch.Name);
        string? id = null, body = null;
        using (var r = held.ExecuteReader()) if (r.Read()) { id = r.GetString(0); body = r.GetString(1); }
        if (id is null)
        {
            Insert(page.Connection, page.Transaction, AlertMessage.Watch, WatchTitle(watch, posts.Count), page.Now, null, watch.Name, held: true, agencies, posts.Take(MaxPostsPerAlert).ToList());
            // Held: nothing to send before the cycle ends.
            return 0;
        }
        var message = AlertMessage.FromJson(body!);
        var total = WatchCount(message) + posts.Count;
        message = message with
        {
            Title = WatchTitle(watch, total),
            Agencies = message.Agencies.Concat(agencies).DistinctBy(a => a.Id, StringComparer.OrdinalIgnoreCase).ToList(),
            Posts = message.Posts.Concat(posts).Take(MaxPostsPerAlert).ToList(),
        };
        Execute(page.Connection, page.Transaction, "UPDATE alerts SET title = @title, body = @body WHERE id = @id;", c =>
        {
            c.Parameters.AddWithValue("@id", id);
            c.Parameters.AddWithValue("@title", message.Title);
            c.Parameters.AddWithValue("@body", message.ToJson());
        });
        return 0;
    }

    private static string WatchTitle(WatchOptions watch, int count) => $"Watch {watch.Name}: {count} new {Plural(count, "post", "posts")}";

    private static int WatchCount(AlertMessage message)
    {
        // The title carries the running count ("Watch X: 7 new posts"): the body keeps only the first posts.
        var words = message.Title.Split(' ');
        for (var i = words.Length - 1; i > 0; i--)
            if (int.TryParse(words[i - 1], out var n) && words[i] is "new") return n;
        return message.Posts.Count;
    }

    private bool Matches(WatchOptions watch, NewPost post, AccountState account)
    {
        if (watch.Platforms.Count > 0 && !watch.Platforms.Contains(post.Post.Platform)) return false;
        var agency = post.Post.AgencyId ?? account.AgencyId;
        if (watch.Agencies.Count > 0 && !watch.Agencies.Contains(agency, StringComparer.OrdinalIgnoreCase)) return false;
        if (watch.Labels.Count > 0 && !watch.Labels.Any(l => l == Labels.Other ? post.Classification.Labels.Count == 0 : post.Classification.Has(l))) return false;
        if (watch.States.Count > 0)
        {
            var state = settings.Tracker.Agencies.FirstOrDefault(a => string.Equals(a.Id, agency, StringComparison.OrdinalIgnoreCase))?.State;
            if (state is null || !watch.States.Contains(state, StringComparer.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    private HashSet<long> FullTextMatches(StoredPage page, string query, IReadOnlyList<long> ids)
    {
        using var command = page.Connection.CreateCommand();
        command.Transaction = page.Transaction;
        if (SqlDialect.IsPostgres(command))
            command.CommandText = $"SELECT p.id FROM posts p WHERE p.id IN ({string.Join(',', ids)}) AND {SqlDialect.FullTextCondition(command, "p", query)};";
        else
        {
            command.CommandText = $"SELECT rowid FROM posts_fts WHERE posts_fts MATCH @q AND rowid IN ({string.Join(',', ids)});";
            command.Parameters.AddWithValue("@q", query);
        }
        var found = new HashSet<long>();
        try
        {
            using var r = command.ExecuteReader();
            while (r.Read()) found.Add(r.GetInt64(0));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            // Start-up validation parses every Query; this is the belt to those braces. The page is stored all the same.
            logger.LogWarning("Watch query {Query} failed: {Error}", query, ex.Message);
        }
        return found;
    }

    private static List<AlertAgency> AgencyRows(DbConnection connection, DbTransaction transaction, IEnumerable<string> ids)
    {
        var list = new List<AlertAgency>();
        foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT name, state FROM agencies WHERE id = @id;";
            command.Parameters.AddWithValue("@id", id);
            using var r = command.ExecuteReader();
            list.Add(r.Read() ? new AlertAgency(id, r.GetString(0), StringOrNull(r, 1)) : new AlertAgency(id, id, null));
        }
        return list;
    }

    /// <summary>
    /// The end of a poll cycle: its watch alerts are released to the dispatcher, and incidents that grew while an update
    /// was not yet due get their update once it is. Also run at the start of a cycle, for a cycle that was killed.
    /// </summary>
    public async Task FinishCycleAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var written = await WriteAsync((connection, transaction) =>
        {
            var released = Execute(connection, transaction, "UPDATE alerts SET held = 0 WHERE held = 1;", _ => { });
            var due = new List<long>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    SELECT DISTINCT i.id FROM incidents i JOIN incident_agencies a ON a.incident_id = i.id
                    WHERE a.alerted = 0 AND i.alerted_at <= @due;
                    """;
                command.Parameters.AddWithValue("@due", ToDb(now - _options.Incident.UpdateEvery));
                using var r = command.ExecuteReader();
                while (r.Read()) due.Add(r.GetInt64(0));
            }
            return released + due.Sum(id => IncidentAlert(connection, transaction, id, now, opening: false));
        }, cancellationToken);
        if (written > 0) Written?.Invoke();
    }

    /// <summary>
    /// Source health after an account's poll: a failure that starts a reported problem (an X token refused, X's usage
    /// cap, Alerts:FailureThreshold failures in a row) writes source_failure once; the first success after it,
    /// source_recovered.
    /// </summary>
    public async Task AccountPolledAsync(AccountState account, SourceException? failure, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var failures = failure is null ? 0 : account.ConsecutiveFailures + 1;
        var (key, reason) = failure is null ? (null, null) : Problem(account, failure, failures);
        if (failure is null && !await AnyProblemAsync(account, cancellationToken)) return;
        var written = await WriteAsync((connection, transaction) =>
        {
            if (failure is null)
            {
                var open = new List<(string Key, string Reason)>();
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    // A platform-wide problem (the X token) recovers when any account of it succeeds.
                    command.CommandText = "SELECT key, reason FROM source_alerts WHERE account_id = @id OR key LIKE @platform;";
                    command.Parameters.AddWithValue("@id", account.Id);
                    command.Parameters.AddWithValue("@platform", $"platform:{account.Platform}:%");
                    using var r = command.ExecuteReader();
                    while (r.Read()) open.Add((r.GetString(0), r.GetString(1)));
                }
                foreach (var (openKey, openReason) in open)
                {
                    Execute(connection, transaction, "DELETE FROM source_alerts WHERE key = @key;", c => c.Parameters.AddWithValue("@key", openKey));
                    Insert(connection, transaction, AlertMessage.SourceRecovered, $"Recovered: {account.Platform} {account.Handle} ({account.AgencyId}) after {openReason}",
                        now, null, null, held: false, [], [], account: new AlertAccount(account.Platform, account.Handle, account.AgencyId));
                }
                return open.Count;
            }
            if (key is null) return 0;
            using (var exists = connection.CreateCommand())
            {
                exists.Transaction = transaction;
                exists.CommandText = "SELECT COUNT(*) FROM source_alerts WHERE key = @key;";
                exists.Parameters.AddWithValue("@key", key);
                if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0) return 0;
            }
            Execute(connection, transaction, "INSERT INTO source_alerts (key, account_id, reason, since) VALUES (@key, @id, @reason, @now);", c =>
            {
                c.Parameters.AddWithValue("@key", key);
                c.Parameters.AddWithValue("@id", account.Id);
                c.Parameters.AddWithValue("@reason", reason!);
                c.Parameters.AddWithValue("@now", ToDb(now));
            });
            Insert(connection, transaction, AlertMessage.SourceFailure, $"Source failing: {account.Platform} {account.Handle} ({account.AgencyId}): {reason}",
                now, null, null, held: false, [], [], account: new AlertAccount(account.Platform, account.Handle, account.AgencyId), error: $"{failure.KindName}: {failure.Message}");
            return 1;
        }, cancellationToken);
        if (written > 0) Written?.Invoke();
    }

    /// <summary>What problem a failure reports, keyed so it is reported once: the X token and usage cap for the platform, the rest per account.</summary>
    private (string? Key, string? Reason) Problem(AccountState account, SourceException failure, int failures)
    {
        // Typed by the source, never read from its wording: a rate-limit 429 is not the usage cap.
        if (failure.PlatformFailure == PlatformFailure.UsageCap) return ($"platform:{account.Platform}:usage_cap", $"{PlatformName(account.Platform)} usage cap reached");
        if (failure.PlatformFailure == PlatformFailure.TokenRefused) return ($"platform:{account.Platform}:token", $"{PlatformName(account.Platform)} token refused");
        if (failures >= _options.FailureThreshold) return ($"account:{account.Id}", $"{failures} failed polls in a row");
        return (null, null);
    }

    private static string PlatformName(string platform) => platform == Platforms.X ? "X" : platform;

    private async Task<bool> AnyProblemAsync(AccountState account, CancellationToken cancellationToken)
    {
        // Most successes have nothing to recover from: one read, no write lock.
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM source_alerts WHERE account_id = @id OR key LIKE @platform);";
        command.Parameters.AddWithValue("@id", account.Id);
        command.Parameters.AddWithValue("@platform", $"platform:{account.Platform}:%");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>One alert row and its delivery rows, due now (a held alert waits for its cycle's end).</summary>
    internal string Insert(DbConnection connection, DbTransaction transaction, string kind, string title, DateTimeOffset now, long? incidentId, string? watch, bool held,
        IReadOnlyList<AlertAgency> agencies, IReadOnlyList<AlertPost> posts, AlertAccount? account = null, string? error = null)
    {
        var id = Guid.CreateVersion7(now).ToString();
        var message = new AlertMessage
        {
            Id = id, Kind = kind, Title = title, SentAt = ToDb(now), IncidentId = incidentId,
            Agencies = agencies, Posts = posts, Account = account, Error = error,
        };
        Execute(connection, transaction, """
            INSERT INTO alerts (id, kind, title, incident_id, watch, created_at, held, body) VALUES (@id, @kind, @title, @incident, @watch, @now, @held, @body);
            """, c =>
        {
            c.Parameters.AddWithValue("@id", id);
            c.Parameters.AddWithValue("@kind", kind);
            c.Parameters.AddWithValue("@title", title);
            c.Parameters.AddWithValue("@incident", (object?)incidentId ?? DBNull.Value);
            c.Parameters.AddWithValue("@watch", (object?)watch ?? DBNull.Value);
            c.Parameters.AddWithValue("@now", ToDb(now));
            c.Parameters.AddWithValue("@held", held ? 1 : 0);
            c.Parameters.AddWithValue("@body", message.ToJson());
        });
        foreach (var channel in _channels)
            Execute(connection, transaction, "INSERT INTO alert_deliveries (alert_id, channel, next_attempt_at) VALUES (@id, @channel, @now);", c =>
            {
                c.Parameters.AddWithValue("@id", id);
                c.Parameters.AddWithValue("@channel", channel);
                c.Parameters.AddWithValue("@now", ToDb(now));
            });
        return id;
    }

    private static int Execute(DbConnection connection, DbTransaction transaction, string sql, Action<DbCommand> bind)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        bind(command);
        return command.ExecuteNonQuery();
    }

    private async Task<int> WriteAsync(Func<DbConnection, DbTransaction, int> work, CancellationToken cancellationToken)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            database.WriteGate.Release();
        }
    }
}
