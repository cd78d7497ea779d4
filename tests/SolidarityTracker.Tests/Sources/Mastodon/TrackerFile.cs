using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Tests.Sources;

/// <summary>Reads what a poll left in the SQLite file, with plain SQL, as an analyst would.</summary>
public static class TrackerFile
{
    public static List<Dictionary<string, object?>> Rows(string database, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
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

    public static long Count(string database, string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(Rows(database, sql, parameters).Single().Values.Single());

    /// <summary>The account row of a handle: cursor, external id, last error and so on.</summary>
    public static Dictionary<string, object?> Account(string database, string handle) =>
        Rows(database, "SELECT * FROM accounts WHERE handle = $h", ("$h", handle)).Single();
}
