using System.Net.Sockets;
using Npgsql;

namespace SolidarityTracker.Storage.Postgres;

/// <summary>
/// The PostgreSQL store of Tracker:Provider postgres: opens Npgsql connections from Tracker:ConnectionString and brings
/// the schema up to date with <see cref="PostgresMigrations"/>, one node at a time under an advisory lock. Nothing
/// here prints the connection string: <see cref="Describe"/> names the database, host and user, never the password
/// (which Npgsql also takes from PGPASSWORD or ~/.pgpass, so it need not be in the configuration at all).
/// </summary>
public sealed class PostgresDatabase
{
    /// <summary>The advisory lock key the migrations take: any 64-bit number of our own ("ST" "migr").</summary>
    public const long MigrationLock = 0x5354_6d69_6772;

    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlConnectionStringBuilder _settings;

    public PostgresDatabase(string connectionString)
    {
        _settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(_settings.ApplicationName)) _settings.ApplicationName = "SolidarityTracker";
        _source = NpgsqlDataSource.Create(_settings.ConnectionString);
    }

    public string Database => _settings.Database ?? _settings.Username ?? "postgres";
    public string Host => $"{_settings.Host}:{_settings.Port}";

    /// <summary>"database 'tracker' on db1:5432 as tracker": what errors and `check` name.</summary>
    public string Describe => $"database '{Database}' on {Host}{(_settings.Username is { Length: > 0 } user ? $" as {user}" : "")}";

    /// <summary>What is wrong with a Tracker:ConnectionString, or null; the message never repeats the string itself.</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return "must be set with Tracker:Provider postgres, e.g. Host=localhost;Port=5432;Database=tracker;Username=tracker (the password from PGPASSWORD or ~/.pgpass)";
        NpgsqlConnectionStringBuilder settings;
        try { settings = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return "is not a valid Npgsql connection string (write it as Host=...;Port=5432;Database=...;Username=...)";
        }
        if (string.IsNullOrWhiteSpace(settings.Host)) return "names no Host";
        if (string.IsNullOrWhiteSpace(settings.Database)) return "names no Database";
        return null;
    }

    /// <summary>An open connection, or a <see cref="StoreUnavailableException"/> that says why in one line.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _source.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"PostgreSQL {Describe}: {Reason(ex)}", ex);
        }
    }

    private string Reason(Exception ex) => ex switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => "the server refused the login (wrong user or password); set the password in PGPASSWORD or ~/.pgpass",
        PostgresException { SqlState: "3D000" } => $"there is no database '{Database}'; create it (createdb {Database})",
        PostgresException { SqlState: "57P03" } => "the server is starting up or shutting down; try again shortly",
        PostgresException pg => $"{pg.MessageText} ({pg.SqlState})",
        _ when Find<SocketException>(ex) is { } socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused; is the server running and listening there?",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => $"host {_settings.Host} not found; check Host in Tracker:ConnectionString",
            SocketError.TimedOut => "no answer (timed out); check the host, the port and any firewall",
            _ => $"network error ({socket.SocketErrorCode})",
        },
        _ when Find<TimeoutException>(ex) is not null => $"no answer within {_settings.Timeout} s; check the host, the port and any firewall",
        _ => ex.Message,
    };

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is T found) return found;
        return null;
    }

    /// <summary>Applies the migrations this node is the first to see, holding the advisory lock so two nodes starting together take turns; the schema version reached.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Post text is Unicode, and full-text search folds accents with normalize(), which needs a UTF8 database.
        await using (var encoding = new NpgsqlCommand("SHOW server_encoding;", connection))
            if (await encoding.ExecuteScalarAsync(cancellationToken) is string name && name != "UTF8")
                throw new StoreUnavailableException($"PostgreSQL {Describe}: the database is encoded {name}; create it UTF8 (createdb -E UTF8 --template=template0 {Database})", new InvalidOperationException(name));
        await Execute(connection, $"SELECT pg_advisory_lock({MigrationLock});", cancellationToken);
        try
        {
            return await PostgresMigrations.ApplyAsync(connection, cancellationToken);
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({MigrationLock});", CancellationToken.None);
        }
    }

    /// <summary>The schema version stored (0 before the first migration) and the server's version.</summary>
    public async Task<(int Schema, string Server)> DescribeServerAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await PostgresMigrations.CurrentVersionAsync(connection, null, cancellationToken), connection.PostgreSqlVersion.ToString());
    }

    internal static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
