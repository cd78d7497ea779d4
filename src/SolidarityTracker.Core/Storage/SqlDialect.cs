using Npgsql;

namespace SolidarityTracker.Storage;

/// <summary>
/// The few places where SQLite's SQL and PostgreSQL's differ, worded for the connection at hand. Everything else the
/// stores run is SQL both engines take as written (ON CONFLICT, RETURNING, row values, COALESCE, LIMIT).
/// </summary>
public static class SqlDialect
{
    public static bool IsPostgres(DbConnection connection) => connection is NpgsqlConnection;

    public static bool IsPostgres(DbCommand command) => command.Connection is NpgsqlConnection;

    /// <summary>
    /// Text as PostgreSQL can hold it: it refuses NUL (U+0000) in text, which SQLite keeps, so a post carrying one (a feed
    /// or API answer can) would fail its whole page, poll after poll. Each NUL becomes U+FFFD, the rest stays as written.
    /// </summary>
    public static string? PostgresText(string? value) => value is not null && value.Contains('\0') ? value.Replace('\0', '\uFFFD') : value;

    /// <summary><paramref name="column"/> equals <paramref name="value"/> ignoring case (SQLite's NOCASE: ASCII letters).</summary>
    public static string EqualsNoCase(DbCommand command, string column, string value) =>
        IsPostgres(command) ? $"lower({column}) = lower({value})" : $"{column} = {value} COLLATE NOCASE";

    /// <summary>The larger of two values (SQLite's two-argument MAX).</summary>
    public static string Greatest(DbCommand command, string a, string b) =>
        IsPostgres(command) ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";

    /// <summary>
    /// The condition that a post (alias <paramref name="alias"/>) matches the full-text query: FTS5's MATCH on SQLite,
    /// the generated tsvector on PostgreSQL (see <see cref="PostgresFullText"/>). Binds its parameters on <paramref name="command"/>.
    /// </summary>
    public static string FullTextCondition(DbCommand command, string alias, string query) =>
        IsPostgres(command)
            ? $"{alias}.text_search @@ {PostgresFullText.Translate(query, command)}"
            : BindFts(command, query, $"{alias}.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH @fts)");

    private static string BindFts(DbCommand command, string query, string condition)
    {
        command.Parameters.AddWithValue("@fts", query);
        return condition;
    }
}
