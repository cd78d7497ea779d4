using Npgsql;
using SolidarityTracker.Storage.Postgres;

namespace SolidarityTracker.Bench;

/// <summary>
/// The PostgreSQL server of Tracker:ConnectionString for the postgres benchmarks: databases of their own on it (UTF8,
/// code-point order as in SQLite), each dropped by <see cref="DropAsync"/> or when the run ends, whatever happened.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly List<string> _made = [];

    private BenchPostgres(string connectionString) => _server = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };

    /// <summary>The server of the configuration, or bad input naming the key when its connection string will not do.</summary>
    public static BenchPostgres For(CliApp app, string bench) =>
        PostgresDatabase.Problem(app.Settings.Tracker.ConnectionString) is { } problem
            ? throw new BadInputException($"Tracker:ConnectionString {problem}; {bench} --provider postgres makes its own databases on that server")
            : new BenchPostgres(app.Settings.Tracker.ConnectionString!);

    /// <summary>"database 'x' on host:port as user", never the password.</summary>
    public string Describe => new PostgresDatabase(_server.ConnectionString).Describe;

    /// <summary>A new, empty database named after <paramref name="purpose"/>; its pooled connection string.</summary>
    public async Task<string> CreateAsync(string purpose, CancellationToken cancellationToken, int? maxPoolSize = null)
    {
        var name = $"st_bench_{purpose}_{Guid.NewGuid().ToString("N")[..8]}";
        await AdminAsync($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8';", cancellationToken);
        _made.Add(name);
        var database = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name, Pooling = true };
        if (maxPoolSize is { } size) database.MaxPoolSize = size;
        return database.ConnectionString;
    }

    /// <summary>The server's version, as `SHOW server_version` would say it.</summary>
    public async Task<Version> ServerVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection.PostgreSqlVersion;
    }

    /// <summary>Drops a database <see cref="CreateAsync"/> made (its pooled connections closed first).</summary>
    public async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", CancellationToken.None);
        _made.Remove(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _made.ToList()) await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", CancellationToken.None);
        _made.Clear();
    }

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
