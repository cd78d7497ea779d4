using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using SolidarityTracker.Storage;
using SolidarityTracker.Storage.Postgres;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

/// <summary>Tracker:Provider postgres against the throwaway cluster: the schema, its migrations under the advisory lock, `check`, and what bad settings get.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresFixture postgres)
{
    private static string[] Postgres(string connectionString) => PostgresServer.Switches(connectionString);

    [Fact]
    public async Task Check_on_postgres_creates_the_schema_and_says_which_provider_server_and_schema_version_it_found()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);
        var database = await postgres.Server.CreateDatabaseAsync();

        var first = await CliRunner.RunAsync(["check", "--config", config, .. Postgres(database)]);
        var again = await CliRunner.RunAsync(["check", "--config", config, .. Postgres(database)]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Matches(@"database: ok \(postgres: PostgreSQL 1\d[.\d]*, database 't_\w+' on 127\.0\.0\.1:\d+ as postgres, schema \d+\)", first.Output);
        Assert.Contains($"schema {Migrations.Latest})", first.Output);
        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain(PostgresServer.Password, first.Output + first.Error);
        Assert.False(File.Exists(Path.Combine(dir.Path, "solidarity.db")), "no SQLite file is made on the side");
    }

    [Fact]
    public async Task Nodes_starting_together_migrate_once_under_the_advisory_lock()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(database)).ToList();

        var versions = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.MigrateAsync())));

        Assert.All(versions, v => Assert.Equal(PostgresMigrations.Latest, v));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*), MAX(version) FROM schema_version;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((1L, PostgresMigrations.Latest), (reader.GetInt64(0), reader.GetInt32(1)));
    }

    [Fact]
    public async Task The_postgres_schema_has_every_table_and_column_of_the_sqlite_schema_at_the_same_version()
    {
        Assert.True(Migrations.Latest == PostgresMigrations.Latest,
            $"SQLite's migrations reach version {Migrations.Latest}, PostgreSQL's {PostgresMigrations.Latest}: add the same step to PostgresMigrations");
        using var dir = new TestDirectory();
        var sqlite = new Dictionary<string, SortedSet<string>>();
        using (var connection = new TrackerDatabase(dir.File("t.db")).Open())
        {
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'posts_fts%' AND name NOT LIKE 'sqlite_%';";
                using var r = list.ExecuteReader();
                while (r.Read()) tables.Add(r.GetString(0));
            }
            foreach (var table in tables)
            {
                using var columns = connection.CreateCommand();
                columns.CommandText = $"SELECT name FROM pragma_table_info('{table}');";
                using var r = columns.ExecuteReader();
                var set = sqlite[table] = [];
                while (r.Read()) set.Add(r.GetString(0));
            }
        }
        SqliteConnection.ClearAllPools();

        var database = await postgres.Server.CreateDatabaseAsync();
        await new PostgresDatabase(database).MigrateAsync();
        var pg = new Dictionary<string, SortedSet<string>>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema();", connection);
            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                if (!pg.TryGetValue(r.GetString(0), out var set)) pg[r.GetString(0)] = set = [];
                set.Add(r.GetString(1));
            }
        }

        foreach (var (table, columns) in sqlite)
        {
            Assert.True(pg.ContainsKey(table), $"table {table} is in the SQLite schema but not in PostgresMigrations");
            var missing = columns.Except(pg[table]).ToList();
            Assert.True(missing.Count == 0, $"{table}: columns {string.Join(", ", missing)} are in the SQLite schema but not in PostgresMigrations");
        }
        Assert.Contains("text_search", pg["posts"]);
        foreach (var quartz in new[] { "qrtz_job_details", "qrtz_triggers", "qrtz_cron_triggers", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks" })
            Assert.True(pg.ContainsKey(quartz), $"Quartz's table {quartz} is created by the migrations");
    }

    [Fact]
    public async Task A_postgres_that_is_down_or_refuses_the_login_or_lacks_the_database_is_exit_1_in_one_line_naming_database_and_host()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);
        var database = await postgres.Server.CreateDatabaseAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var down = await CliRunner.RunAsync(["check", "--config", config, .. Postgres($"Host=127.0.0.1;Port={closedPort};Database=tracker;Username=tracker;Password=d0wn-s3cret;Timeout=5")]);
        var refused = await CliRunner.RunAsync(["check", "--config", config, .. Postgres(new NpgsqlConnectionStringBuilder(database) { Password = "wr0ng-s3cret" }.ConnectionString)]);
        var missing = await CliRunner.RunAsync(["check", "--config", config, .. Postgres(new NpgsqlConnectionStringBuilder(database) { Database = "no_such_db" }.ConnectionString)]);

        Assert.Equal(1, down.ExitCode);
        Assert.Equal($"error: PostgreSQL database 'tracker' on 127.0.0.1:{closedPort} as tracker: connection refused; is the server running and listening there?", down.Error.Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the login", refused.Error);
        Assert.Contains($"on 127.0.0.1:{postgres.Server.Port} as postgres", refused.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("there is no database 'no_such_db'; create it", missing.Error);
        foreach (var result in new[] { down, refused, missing })
        {
            Assert.Single(result.Error.Trim().Split('\n'));
            Assert.DoesNotContain("s3cret", result.Output + result.Error);
            Assert.DoesNotContain(PostgresServer.Password, result.Output + result.Error);
            Assert.DoesNotContain("   at ", result.Error);
        }
    }

    [Theory]
    [InlineData("--Tracker:Provider=mysql", "Tracker:Provider", "unknown provider 'mysql'")]
    [InlineData("--Tracker:Provider=postgres", "Tracker:ConnectionString", "must be set")]
    [InlineData("--Tracker:ConnectionString=Host=db;Passwort=s3cret-typo;Database=t", "Tracker:ConnectionString", "not a valid Npgsql connection string")]
    [InlineData("--Tracker:ConnectionString=Port=5432;Password=s3cret;Database=t", "Tracker:ConnectionString", "names no Host")]
    public async Task A_bad_provider_or_connection_string_is_exit_2_naming_the_key_and_never_the_password(string setting, string key, string message)
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync("check", "--config", config, "--Tracker:Provider=postgres", setting);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.Error);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("s3cret", result.Output + result.Error);
    }

    [Fact]
    public async Task Export_on_postgres_reads_the_postgres_store_and_makes_no_SQLite_file()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);
        var database = await postgres.Server.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync(["export", "--config", config, "--format", "csv", .. Postgres(database)]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("platform,post_id,agency_id", result.Output);
        Assert.False(File.Exists(Path.Combine(dir.Path, "solidarity.db")));
    }

}
