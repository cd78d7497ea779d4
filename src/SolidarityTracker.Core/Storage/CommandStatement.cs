using System.Text.RegularExpressions;

namespace SolidarityTracker.Storage;

/// <summary>
/// <see cref="IRowStatement"/> over an ordinary <see cref="DbCommand"/> (PostgreSQL): one parameter per distinct @name
/// in the SQL, in order of first appearance. It runs inside the connection's open transaction (Npgsql needs no enlisting).
/// </summary>
internal sealed partial class CommandStatement : IRowStatement
{
    private readonly DbCommand _command;
    private readonly List<string> _names = [];
    private readonly bool _returnsId;

    public CommandStatement(DbConnection connection, string sql)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        foreach (Match match in Name().Matches(sql))
        {
            if (_names.Contains(match.Value)) continue;
            _names.Add(match.Value);
            _command.Parameters.AddWithValue(match.Value, null);
        }
        _returnsId = sql.Contains("RETURNING id", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"@[a-z_][a-z0-9_]*")]
    private static partial Regex Name();

    public int Parameter(string name)
    {
        var index = _names.IndexOf(name);
        return index >= 0 ? index + 1 : throw new ArgumentException($"no parameter {name} in the statement", nameof(name));
    }

    private void Set(int index, object? value, DbType type)
    {
        var parameter = _command.Parameters[index - 1];
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
    }

    public void Bind(int index, string? value) => Set(index, SqlDialect.PostgresText(value), DbType.String);
    public void Bind(int index, long value) => Set(index, value, DbType.Int64);
    public void Bind(int index, long? value) => Set(index, value, DbType.Int64);
    public void Bind(int index, bool value) => Set(index, value ? 1 : 0, DbType.Int32);
    public void Bind(int index, double value) => Set(index, value, DbType.Double);

    public long LastInsertRowId { get; private set; }

    public int Execute()
    {
        if (!_returnsId) return _command.ExecuteNonQuery();
        var id = _command.ExecuteScalar();
        if (id is null or DBNull) return 0;
        LastInsertRowId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        return 1;
    }

    public void Dispose() => _command.Dispose();
}
