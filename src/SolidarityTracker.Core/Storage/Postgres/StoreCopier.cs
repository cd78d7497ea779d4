using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace SolidarityTracker.Storage.Postgres;

/// <summary>
/// `copy-store --from FILE`: every table of a SQLite store (posts, versions, labels, corrections, profiles, cursors,
/// usage, alerts, incidents) into the PostgreSQL store, parents before children, in batches of rows read in rowid
/// order and inserted with ON CONFLICT DO NOTHING, so a copy that stopped half-way is finished by running it again
/// and a second run adds nothing. Both schemas are at the same migration (the file is migrated when opened; the
/// PostgreSQL schema first), so columns match by name; ids are kept, and the identity sequences are moved past
/// them at the end.
/// </summary>
public sealed class StoreCopier(TrackerDatabase source, PostgresDatabase target)
{
    /// <summary>Every table, parents first (the order the foreign keys need).</summary>
    public static readonly IReadOnlyList<string> Tables =
    [
        "agencies", "accounts", "posts", "post_versions", "classifications", "profile_snapshots", "poll_runs", "digests_sent",
        "digest_runs", "label_corrections", "platform_usage", "platform_caps", "incidents", "incident_posts", "incident_agencies",
        "alerts", "alert_deliveries", "source_alerts",
    ];

    public async Task<IReadOnlyList<TableCopy>> CopyAsync(int batchSize, Action<string, long, long>? progress, CancellationToken cancellationToken)
    {
        await target.MigrateAsync(cancellationToken);
        using var sqlite = source.Open();
        await using var pg = await target.OpenAsync(cancellationToken);
        var copies = new List<TableCopy>();
        foreach (var table in Tables)
        {
            var columns = await ColumnsAsync(pg, table, cancellationToken);
            var total = Scalar(sqlite, $"SELECT COUNT(*) FROM {table};");
            long read = 0, added = 0, after = long.MinValue;
            while (true)
            {
                var rows = ReadBatch(sqlite, table, columns, after, batchSize, out var lastRowId);
                if (rows.Count == 0) break;
                added += await InsertAsync(pg, table, columns, rows, cancellationToken);
                read += rows.Count;
                after = lastRowId;
                progress?.Invoke(table, read, total);
                if (rows.Count < batchSize) break;
            }
            if (columns.Any(c => c.Name == "id" && c.Type == NpgsqlDbType.Bigint))
                await PostgresDatabase.Execute(pg, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM {table};", cancellationToken);
            copies.Add(new TableCopy(table, read, added));
        }
        return copies;
    }

    private sealed record Column(string Name, NpgsqlDbType Type);

    /// <summary>The table's columns in PostgreSQL that hold data (not the generated tsvector), with their types.</summary>
    private static async Task<List<Column>> ColumnsAsync(NpgsqlConnection pg, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t AND is_generated = 'NEVER' ORDER BY ordinal_position;", pg);
        command.Parameters.AddWithValue("t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<Column>();
        while (await reader.ReadAsync(cancellationToken))
            columns.Add(new Column(reader.GetString(0), reader.GetString(1) switch
            {
                "bigint" => NpgsqlDbType.Bigint,
                "integer" => NpgsqlDbType.Integer,
                "double precision" => NpgsqlDbType.Double,
                "text" => NpgsqlDbType.Text,
                var other => throw new InvalidOperationException($"copy-store: column {table}.{reader.GetString(0)} has type {other}, which it does not copy"),
            }));
        return columns;
    }

    private static List<object?[]> ReadBatch(DbConnection sqlite, string table, List<Column> columns, long after, int batchSize, out long lastRowId)
    {
        using var command = sqlite.CreateCommand();
        command.CommandText = $"SELECT rowid, {string.Join(", ", columns.Select(c => c.Name))} FROM {table} WHERE rowid > @after ORDER BY rowid LIMIT {batchSize};";
        command.Parameters.AddWithValue("@after", after);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        lastRowId = after;
        while (reader.Read())
        {
            lastRowId = reader.GetInt64(0);
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
                row[i] = reader.IsDBNull(i + 1) ? null : columns[i].Type switch
                {
                    NpgsqlDbType.Bigint => reader.GetInt64(i + 1),
                    NpgsqlDbType.Integer => reader.GetInt32(i + 1),
                    NpgsqlDbType.Double => reader.GetDouble(i + 1),
                    _ => reader.GetString(i + 1),
                };
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One multi-row INSERT … ON CONFLICT DO NOTHING in its own transaction; the rows that were new.</summary>
    private static async Task<long> InsertAsync(NpgsqlConnection pg, string table, List<Column> columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await pg.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = pg, Transaction = transaction };
        var values = new List<string>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var names = new string[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                names[c] = $"@p{r}_{c}";
                command.Parameters.Add(new NpgsqlParameter($"p{r}_{c}", columns[c].Type) { Value = (rows[r][c] is string text ? SqlDialect.PostgresText(text) : rows[r][c]) ?? DBNull.Value });
            }
            values.Add($"({string.Join(", ", names)})");
        }
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES {string.Join(", ", values)} ON CONFLICT DO NOTHING;";
        var added = await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    private static long Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
