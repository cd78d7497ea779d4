using Microsoft.Data.Sqlite;
using Npgsql;
using SolidarityTracker.Storage.Postgres;
using SolidarityTracker.Tests.Digests;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

/// <summary>`copy-store --from FILE` from a real SQLite store into the throwaway PostgreSQL cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CopyStoreTests(PostgresFixture postgres)
{
    private static long SqliteCount(string file, string table)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<object?> PgScalar(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static List<string> SqliteRows(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var r = command.ExecuteReader();
        var rows = new List<string>();
        while (r.Read()) rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private static async Task<List<string>> PgRows(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var r = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync()) rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    [Fact]
    public async Task Copy_store_copies_every_table_row_for_row_and_a_second_run_or_a_resumed_one_adds_only_what_is_missing()
    {
        using var world = new DigestWorld();
        await DigestScenario.SeedAsync(world);
        var file = world.Settings.Tracker.Database;
        SqliteConnection.ClearAllPools();
        var database = await postgres.Server.CreateDatabaseAsync();
        var target = PostgresServer.Switches(database);

        var first = await CliRunner.RunAsync(["copy-store", "--config", world.ConfigFile, "--from", file, "--batch", "7", .. target]);

        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (var table in StoreCopier.Tables)
            Assert.Equal(SqliteCount(file, table), Convert.ToInt64(await PgScalar(database, $"SELECT COUNT(*) FROM {table};")));
        var posts = SqliteCount(file, "posts");
        Assert.True(posts > 10, $"{posts} posts seeded");
        Assert.Contains("copy-store: posts 7/", first.Error);
        const string postColumns = "SELECT id, platform, post_id, agency_id, created_at, text, is_repost, url FROM posts ORDER BY id";
        Assert.Equal(SqliteRows(file, postColumns), await PgRows(database, postColumns));
        const string labelColumns = "SELECT post_id, labels, condolence_score, evidence FROM classifications ORDER BY post_id";
        Assert.Equal(SqliteRows(file, labelColumns), await PgRows(database, labelColumns));
        // The sequence moved past the copied ids: a post stored on PostgreSQL later gets a new one.
        var next = Convert.ToInt64(await PgScalar(database, "SELECT nextval(pg_get_serial_sequence('posts', 'id'));"));
        Assert.True(next > Convert.ToInt64(await PgScalar(database, "SELECT MAX(id) FROM posts;")));

        var again = await CliRunner.RunAsync(["copy-store", "--config", world.ConfigFile, "--from", file, .. target]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing new", again.Output);

        // A copy that stopped part-way (here: the newest labels never arrived) is finished by running it again.
        await PgScalar(database, "DELETE FROM classifications WHERE post_id > (SELECT MIN(post_id) + 3 FROM classifications);");
        var missing = SqliteCount(file, "classifications") - Convert.ToInt64(await PgScalar(database, "SELECT COUNT(*) FROM classifications;"));
        var resumed = await CliRunner.RunAsync(["copy-store", "--config", world.ConfigFile, "--from", file, .. target]);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains($"{missing:N0} of", resumed.Output);
        Assert.Equal(SqliteRows(file, labelColumns), await PgRows(database, labelColumns));
        Assert.DoesNotContain(PostgresServer.Password, first.Output + first.Error + again.Output + resumed.Output);
    }

    [Fact]
    public async Task Copy_store_without_postgres_or_from_a_missing_file_is_exit_2_naming_what_is_wrong()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);
        var database = await postgres.Server.CreateDatabaseAsync();

        var sqlite = await CliRunner.RunAsync("copy-store", "--config", config, "--from", dir.File("old.db"));
        var missing = await CliRunner.RunAsync("copy-store", "--config", config, "--from", dir.File("old.db"), "--Tracker:Provider=postgres", $"--Tracker:ConnectionString={database}");

        Assert.Equal(2, sqlite.ExitCode);
        Assert.Contains("set Tracker:Provider postgres", sqlite.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("old.db: no such file", missing.Error);
        Assert.False(File.Exists(dir.File("old.db")));
    }
}
