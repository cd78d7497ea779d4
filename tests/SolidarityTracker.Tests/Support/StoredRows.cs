using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Tests.Support;

/// <summary>Reads a test's SQLite file directly, to assert what the program stored.</summary>
public static class StoredRows
{
    public static List<Dictionary<string, object?>> Query(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Changes a row as time would have (a rate limit's reset passing, say), for the next run to see.</summary>
    public static void Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(string databasePath, string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(Query(databasePath, sql, parameters).Single().Values.Single());

    /// <summary>The account row of a handle: cursor, external id, last error and so on.</summary>
    public static Dictionary<string, object?> Account(string databasePath, string handle) =>
        Query(databasePath, "SELECT * FROM accounts WHERE handle = $h", ("$h", handle)).Single();
}
