using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SolidarityTracker.Storage;

/// <summary>
/// One statement prepared on a connection's own SQLite handle and run through SQLitePCL.raw, beneath
/// Microsoft.Data.Sqlite: for the per-row inserts of storing posts, where building a data reader for every
/// ExecuteNonQuery and encoding every text to a new UTF-8 array cost as much as SQLite's own work. Text is bound
/// as UTF-16 straight from the string (unless it holds a lone surrogate). Runs inside whatever transaction the
/// connection has open; errors are Microsoft.Data.Sqlite's <see cref="SqliteException"/>, with SQLite's code.
/// </summary>
internal sealed class RawStatement : IRowStatement
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>The 1-based index of a named parameter (@name).</summary>
    public int Parameter(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, name);
        return index > 0 ? index : throw new ArgumentException($"no parameter {name} in the statement", nameof(name));
    }

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index)
            // SQLite reads a lone surrogate as half of a pair and swallows the character after it: such a text goes as
            // UTF-8, its lone surrogates replaced by U+FFFD, as Microsoft.Data.Sqlite itself would bind it.
            : HasLoneSurrogate(value) ? raw.sqlite3_bind_text(_statement, index, Encoding.UTF8.GetBytes(value).AsSpan())
            : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        var at = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (at < 0) return false;
        for (var i = at; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            return true;
        }
        return false;
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, bool value) => Bind(index, value ? 1L : 0L);

    public void Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    /// <summary>Runs the statement to its end; the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW) { }
            if (rc != raw.SQLITE_DONE) Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The rowid the connection's last successful INSERT gave.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _statement.Dispose();
}
