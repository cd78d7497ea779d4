using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Storage;

/// <summary>Whether a full-text query parses, asked of SQLite's own FTS5 on an empty in-memory table (a watch's Query is checked at start-up).</summary>
public static class FullTextQuery
{
    /// <summary>Null when the query parses; else SQLite's reason.</summary>
    public static string? Problem(string query)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        TrackerDatabase.Execute(connection, "CREATE VIRTUAL TABLE probe USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');");
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM probe WHERE probe MATCH @q;";
        command.Parameters.AddWithValue("@q", query);
        try
        {
            command.ExecuteScalar();
            return null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            return Reason(ex);
        }
    }

    /// <summary>SQLite's reason for refusing a MATCH expression, without its "SQLite Error 1:" and quotes.</summary>
    public static string Reason(SqliteException ex) => ex.Message.Replace("SQLite Error 1: ", "").Trim('\'', '.', ' ');

    /// <summary>The one-line error for a query that does not parse.</summary>
    public static BadInputException Bad(string query, string reason, Exception? inner = null) =>
        new($"--query {query}: not a valid full-text query ({reason}); quote phrases with \"…\" and balance the quotes", inner);
}
