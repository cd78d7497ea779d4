namespace SolidarityTracker.Storage;

/// <summary>
/// One prepared statement run once per row, its parameters bound by position (<see cref="Parameter"/> finds a named
/// one's): <see cref="RawStatement"/> on SQLite, <see cref="CommandStatement"/> on PostgreSQL. An INSERT written with
/// <c>RETURNING id</c> gives the new row's id in <see cref="LastInsertRowId"/> on both.
/// </summary>
internal interface IRowStatement : IDisposable
{
    int Parameter(string name);
    void Bind(int index, string? value);
    void Bind(int index, long value);
    void Bind(int index, long? value);
    void Bind(int index, bool value);
    void Bind(int index, double value);

    /// <summary>Runs the statement; the rows it changed.</summary>
    int Execute();

    long LastInsertRowId { get; }

    /// <summary>The statement for <paramref name="connection"/>'s engine.</summary>
    static IRowStatement Prepare(DbConnection connection, string sql) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? new RawStatement(sqlite, sql) : new CommandStatement(connection, sql);
}
