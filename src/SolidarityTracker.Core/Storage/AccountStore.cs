using Microsoft.Data.Sqlite;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>Agencies and accounts: what is configured, what is due, and how each account's last poll went.</summary>
public sealed class AccountStore(TrackerDatabase database) : Polling.IScheduleSource
{
    /// <summary>Brings the agencies and accounts tables in line with configuration; rows no longer configured are kept (their posts stay) but not polled.</summary>
    public async Task SyncAsync(IReadOnlyList<AgencyOptions> agencies, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, "UPDATE agencies SET configured = 0; UPDATE accounts SET configured = 0;", transaction);
            var renamed = RenamedAccounts(connection, transaction);
            foreach (var agency in agencies)
            {
                UpsertAgency(connection, transaction, new Agency(agency.Id, agency.Name, agency.State));
                foreach (var account in agency.Accounts)
                {
                    if (renamed.Count > 0 && renamed.TryGetValue((account.Platform, NormalizeHandle(account.Platform, account.Address)), out var renamedId))
                        FollowRename(connection, transaction, renamedId, NormalizeHandle(account.Platform, account.Address));
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = """
                        INSERT INTO accounts (agency_id, platform, handle, enabled, configured)
                        VALUES (@agency, @platform, @handle, @enabled, 1)
                        ON CONFLICT (platform, handle) DO UPDATE SET agency_id = @agency, enabled = @enabled, configured = 1;
                        """;
                    command.Parameters.AddWithValue("@agency", agency.Id);
                    command.Parameters.AddWithValue("@platform", account.Platform);
                    command.Parameters.AddWithValue("@handle", NormalizeHandle(account.Platform, account.Address));
                    command.Parameters.AddWithValue("@enabled", account.Enabled ? 1 : 0);
                    command.ExecuteNonQuery();
                }
            }
            transaction.Commit();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>
    /// A configured handle that no row has yet but that an account was renamed to (its current_handle): that row takes
    /// the new handle, so the account keeps its posts, id and cursor instead of starting over as a new account.
    /// </summary>
    private static void FollowRename(DbConnection connection, DbTransaction transaction, long accountId, string handle)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE accounts SET handle = @handle, current_handle = NULL
            WHERE id = @id AND configured = 0
              AND NOT EXISTS (SELECT 1 FROM accounts o WHERE o.platform = accounts.platform AND o.handle = @handle);
            """;
        command.Parameters.AddWithValue("@id", accountId);
        command.Parameters.AddWithValue("@handle", handle);
        command.ExecuteNonQuery();
    }

    /// <summary>The accounts a platform renamed, by (platform, new handle as configured): read once per sync, so a sync stays one pass.</summary>
    private static Dictionary<(string Platform, string Handle), long> RenamedAccounts(DbConnection connection, DbTransaction transaction)
    {
        var renamed = new Dictionary<(string, string), long>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, platform, current_handle FROM accounts WHERE current_handle IS NOT NULL AND platform <> 'rss' ORDER BY id;";
        using var reader = command.ExecuteReader();
        while (reader.Read()) renamed.TryAdd((reader.GetString(1), NormalizeHandle(reader.GetString(1), reader.GetString(2))), reader.GetInt64(0));
        return renamed;
    }

    /// <summary>Stores the handle the platform gives the account now (null when it is the configured one again).</summary>
    public Task RecordHandleAsync(long accountId, string? currentHandle, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE accounts SET current_handle = @current WHERE id = @id;", c =>
        {
            c.Parameters.AddWithValue("@id", accountId);
            c.Parameters.AddWithValue("@current", (object?)currentHandle ?? DBNull.Value);
        }, cancellationToken);

    /// <summary>Configured, enabled accounts of one platform whose platform id is known, oldest first (what a stream subscribes to).</summary>
    public IReadOnlyList<AccountState> Resolved(string platform)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AccountColumns} FROM accounts a WHERE a.platform = @platform AND a.configured = 1 AND a.enabled = 1 AND a.external_id IS NOT NULL ORDER BY a.id;";
        command.Parameters.AddWithValue("@platform", platform);
        return ReadAll(command);
    }

    /// <summary>One account by its row id, as stored now; null when there is none.</summary>
    public AccountState? ById(long id)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AccountColumns} FROM accounts a WHERE a.id = @id;";
        command.Parameters.AddWithValue("@id", id);
        return ReadAll(command).FirstOrDefault();
    }

    /// <summary>A streamed post counts toward the account's posting rate: its interval and next check as a poll finding it would set them.</summary>
    public Task RecordStreamedAsync(long accountId, Polling.CheckPlan plan, CancellationToken cancellationToken = default) =>
        WriteAsync("""
            UPDATE accounts SET next_check_at = CASE WHEN next_check_at IS NULL OR next_check_at > @next THEN @next ELSE next_check_at END,
                check_interval_seconds = @interval, recent_posts = @recent
            WHERE id = @id;
            """, c =>
        {
            c.Parameters.AddWithValue("@id", accountId);
            c.Parameters.AddWithValue("@next", ToDb(plan.NextCheckAt));
            c.Parameters.AddWithValue("@interval", (long)plan.Interval.TotalSeconds);
            c.Parameters.AddWithValue("@recent", plan.RecentPosts);
        }, cancellationToken);

    /// <summary>The platform says a gone account is back: it is due at once.</summary>
    public Task ClearGoneAsync(long accountId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE accounts SET gone = NULL, next_attempt_at = NULL, next_check_at = @now WHERE id = @id;", c =>
        {
            c.Parameters.AddWithValue("@id", accountId);
            c.Parameters.AddWithValue("@now", ToDb(now));
        }, cancellationToken);

    /// <summary>A stream's stored cursor (Jetstream's time_us), or null before its first event.</summary>
    public string? StreamCursor(string name)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT cursor FROM stream_cursors WHERE name = @name;";
        command.Parameters.AddWithValue("@name", name);
        return command.ExecuteScalar() as string;
    }

    public Task SaveStreamCursorAsync(string name, string cursor, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync("INSERT INTO stream_cursors (name, cursor, updated_at) VALUES (@name, @cursor, @now) ON CONFLICT (name) DO UPDATE SET cursor = @cursor, updated_at = @now;", c =>
        {
            c.Parameters.AddWithValue("@name", name);
            c.Parameters.AddWithValue("@cursor", cursor);
            c.Parameters.AddWithValue("@now", ToDb(now));
        }, cancellationToken);

    internal static void UpsertAgency(DbConnection connection, DbTransaction transaction, Agency agency, bool configured = true)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = configured
            ? "INSERT INTO agencies (id, name, state, configured) VALUES (@id, @name, @state, 1) ON CONFLICT (id) DO UPDATE SET name = @name, state = @state, configured = 1;"
            : "INSERT INTO agencies (id, name, state, configured) VALUES (@id, @name, @state, 0) ON CONFLICT (id) DO NOTHING;";
        command.Parameters.AddWithValue("@id", agency.Id);
        command.Parameters.AddWithValue("@name", agency.Name);
        command.Parameters.AddWithValue("@state", (object?)agency.State ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Handles compare without the leading @ and without case (X, Mastodon and Bluesky handles are case-insensitive).</summary>
    public static string NormalizeHandle(string platform, string handle) =>
        platform == Platforms.Rss ? handle.Trim() : handle.Trim().TrimStart('@').ToLowerInvariant();

    private const string AccountColumns = """
        a.id, a.agency_id, a.platform, a.handle, a.external_id, a.cursor, a.last_success_at, a.last_attempt_at,
        a.last_error_kind, a.last_error, a.last_error_at, a.consecutive_failures, a.next_attempt_at, a.profile_checked_at, a.enabled,
        a.next_check_at, a.check_interval_seconds, a.recent_posts, a.gone, a.current_handle
        """;

    private static AccountState ReadAccount(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        AgencyId = r.GetString(1),
        Platform = r.GetString(2),
        Handle = r.GetString(3),
        ExternalId = StringOrNull(r, 4),
        Cursor = StringOrNull(r, 5),
        LastSuccessAt = FromDbNullable(r, 6),
        LastAttemptAt = FromDbNullable(r, 7),
        LastErrorKind = StringOrNull(r, 8),
        LastError = StringOrNull(r, 9),
        LastErrorAt = FromDbNullable(r, 10),
        ConsecutiveFailures = r.GetInt32(11),
        NextAttemptAt = FromDbNullable(r, 12),
        ProfileCheckedAt = FromDbNullable(r, 13),
        Enabled = r.GetInt32(14) == 1,
        NextCheckAt = FromDbNullable(r, 15),
        CheckInterval = r.IsDBNull(16) ? null : TimeSpan.FromSeconds(r.GetInt64(16)),
        RecentPosts = r.GetDouble(17),
        Gone = StringOrNull(r, 18),
        CurrentHandle = StringOrNull(r, 19),
    };

    /// <summary>
    /// The accounts a poll should ask now: configured, enabled, and past their back-off. With a selector
    /// (an agency id, a handle or an account number) only the matching accounts, due or not.
    /// </summary>
    public IReadOnlyList<AccountState> Due(DateTimeOffset now, string? selector = null)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        if (selector is null)
        {
            command.CommandText = $"SELECT {AccountColumns} FROM accounts a WHERE a.configured = 1 AND a.enabled = 1 AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= @now) ORDER BY a.id;";
            command.Parameters.AddWithValue("@now", ToDb(now));
        }
        else
        {
            command.CommandText = $"SELECT {AccountColumns} FROM accounts a WHERE a.configured = 1 AND ({SqlDialect.EqualsNoCase(command, "a.agency_id", "@s")} OR {SqlDialect.EqualsNoCase(command, "a.handle", "@s")} OR CAST(a.id AS TEXT) = @s) ORDER BY a.id;";
            command.Parameters.AddWithValue("@s", selector.Trim().TrimStart('@'));
        }
        return ReadAll(command);
    }

    /// <summary>
    /// What the worker's tick may poll: configured, enabled accounts whose next check has come, or, while a wave is on
    /// (<paramref name="waveBefore"/> set), any not attempted since then. Back-off keeps a failing account out either way.
    /// </summary>
    public IReadOnlyList<AccountState> Scheduled(DateTimeOffset now, DateTimeOffset? waveBefore = null)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {AccountColumns} FROM accounts a
            WHERE a.configured = 1 AND a.enabled = 1 AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= @now)
              AND (a.next_check_at IS NULL OR a.next_check_at <= @now OR a.last_attempt_at IS NULL OR a.last_attempt_at <= @wave)
              AND (a.lease_until IS NULL OR a.lease_until <= @now)
            ORDER BY a.id;
            """;
        command.Parameters.AddWithValue("@now", ToDb(now));
        command.Parameters.AddWithValue("@wave", waveBefore is { } w ? ToDb(w) : "");
        return ReadAll(command);
    }

    /// <summary>Every configured, enabled account, in back-off or not (what a person running `poll` asked for); a selector as for <see cref="Due"/>.</summary>
    public IReadOnlyList<AccountState> Enabled(string? selector = null)
    {
        if (selector is not null) return Due(DateTimeOffset.MinValue, selector);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AccountColumns} FROM accounts a WHERE a.configured = 1 AND a.enabled = 1 ORDER BY a.id;";
        return ReadAll(command);
    }

    public IReadOnlyList<AccountState> All()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AccountColumns} FROM accounts a WHERE a.configured = 1 ORDER BY a.agency_id, a.platform, a.handle;";
        return ReadAll(command);
    }

    private static List<AccountState> ReadAll(DbCommand command)
    {
        var list = new List<AccountState>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(ReadAccount(reader));
        return list;
    }

    /// <summary>Records a successful poll and the account's next check (<see cref="Polling.CheckPlan"/>); the poll's lease, if any, ends with it.</summary>
    public async Task RecordSuccessAsync(long accountId, DateTimeOffset now, bool profileChecked, Polling.CheckPlan? plan = null, CancellationToken cancellationToken = default)
    {
        await WriteAsync("""
            UPDATE accounts SET last_attempt_at = @now, last_success_at = @now, consecutive_failures = 0,
                next_attempt_at = NULL, last_error_kind = NULL, last_error = NULL, last_error_at = NULL, gone = NULL, lease_owner = NULL, lease_until = NULL,
                profile_checked_at = CASE WHEN @profile = 1 THEN @now ELSE profile_checked_at END,
                next_check_at = @next, check_interval_seconds = COALESCE(@interval, check_interval_seconds), recent_posts = COALESCE(@recent, recent_posts)
            WHERE id = @id;
            """, c =>
        {
            c.Parameters.AddWithValue("@id", accountId);
            c.Parameters.AddWithValue("@now", ToDb(now));
            c.Parameters.AddWithValue("@profile", profileChecked ? 1 : 0);
            // Without a plan (a caller outside the schedule) the account is simply due again.
            c.Parameters.AddWithValue("@next", plan is null ? DBNull.Value : ToDb(plan.NextCheckAt));
            c.Parameters.AddWithValue("@interval", plan is null ? DBNull.Value : (long)plan.Interval.TotalSeconds);
            c.Parameters.AddWithValue("@recent", plan is null ? DBNull.Value : plan.RecentPosts);
        }, cancellationToken);
    }

    /// <summary>Records a failed poll on the account's own row; the cursor is left where it was.</summary>
    /// <summary><paramref name="gone"/> (suspended, deleted, deactivated) when the platform says the account itself is gone; null clears it.</summary>
    public async Task RecordFailureAsync(long accountId, string kind, string message, DateTimeOffset now, DateTimeOffset nextAttempt, CancellationToken cancellationToken = default, string? gone = null)
    {
        await WriteAsync("""
            UPDATE accounts SET last_attempt_at = @now, last_error_kind = @kind, last_error = @message, last_error_at = @now,
                consecutive_failures = consecutive_failures + 1, next_attempt_at = @next, next_check_at = @next, gone = @gone,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @id;
            """, c =>
        {
            c.Parameters.AddWithValue("@gone", (object?)gone ?? DBNull.Value);
            c.Parameters.AddWithValue("@id", accountId);
            c.Parameters.AddWithValue("@now", ToDb(now));
            c.Parameters.AddWithValue("@kind", kind);
            c.Parameters.AddWithValue("@message", message);
            c.Parameters.AddWithValue("@next", ToDb(nextAttempt));
        }, cancellationToken);
    }

    /// <summary>
    /// Whether pollers take leases: with PostgreSQL, where several nodes share the store. One SQLite file has one
    /// worker, and a worker killed mid-poll must find its accounts free when it starts again, not leased to its old self.
    /// </summary>
    public bool Leased => database.IsPostgres;

    /// <summary>
    /// Takes the poll lease of <paramref name="account"/> for <paramref name="owner"/> (a node) until <paramref name="until"/>:
    /// true when no other node holds a live lease on it and nobody has tried it since it was read (its last attempt is
    /// still the one <paramref name="account"/> shows), so two nodes never poll one account in the same interval. On
    /// PostgreSQL the row is taken FOR UPDATE SKIP LOCKED: a node never waits on another's lease, it moves on. A lease
    /// left by a node that died lapses at its end, and the next node to find the account due takes it over.
    /// </summary>
    public async Task<bool> TryLeaseAsync(AccountState account, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        await WriteAsync($"""
            UPDATE accounts SET lease_owner = @owner, lease_until = @until
            WHERE id IN (SELECT id FROM accounts WHERE id = @id AND (lease_until IS NULL OR lease_until <= @now) AND COALESCE(last_attempt_at, '') = @seen
                {(database.IsPostgres ? "FOR UPDATE SKIP LOCKED" : "")});
            """, c =>
        {
            c.Parameters.AddWithValue("@id", account.Id);
            c.Parameters.AddWithValue("@owner", owner);
            c.Parameters.AddWithValue("@now", ToDb(now));
            c.Parameters.AddWithValue("@until", ToDb(until));
            c.Parameters.AddWithValue("@seen", ToDb(account.LastAttemptAt) ?? "");
        }, cancellationToken) == 1;

    /// <summary>Gives the lease back when a poll ended without recording its result (recording it ends the lease); only the owner's own.</summary>
    public Task ReleaseLeaseAsync(long accountId, string owner, CancellationToken cancellationToken = default) =>
        WriteAsync("UPDATE accounts SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner;", c =>
        {
            c.Parameters.AddWithValue("@id", accountId);
            c.Parameters.AddWithValue("@owner", owner);
        }, cancellationToken);

    private async Task<int> RunAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One statement on one account's row. On SQLite it queues behind the process's other writers (<see cref="TrackerDatabase.WriteGate"/>);
    /// PostgreSQL takes concurrent single-row updates as they come, so the accounts a node polls at once record their results at once.
    /// </summary>
    private async Task<int> WriteAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        if (database.IsPostgres) return await RunAsync(sql, bind, cancellationToken);
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(sql, bind, cancellationToken);
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    public IReadOnlyList<Agency> Agencies(bool configuredOnly = true)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, name, state FROM agencies {(configuredOnly ? "WHERE configured = 1" : "")} ORDER BY id;";
        var list = new List<Agency>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(new Agency(reader.GetString(0), reader.GetString(1), StringOrNull(reader, 2)));
        return list;
    }

    /// <summary>Per account, what `status` prints: its state, its agency and how many posts are stored.</summary>
    public IReadOnlyList<AccountStatus> Statuses()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {AccountColumns}, g.name, (SELECT COUNT(*) FROM posts p WHERE p.account_id = a.id)
            FROM accounts a JOIN agencies g ON g.id = a.agency_id
            WHERE a.configured = 1 ORDER BY a.agency_id, a.platform, a.handle;
            """;
        var list = new List<AccountStatus>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(new AccountStatus(ReadAccount(reader), reader.GetString(20), reader.GetInt64(21)));
        return list;
    }
}
