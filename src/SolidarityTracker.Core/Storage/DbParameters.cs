using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SolidarityTracker.Storage;

/// <summary>
/// Parameters on either engine's commands, as Microsoft.Data.Sqlite's own AddWithValue reads: named @name in the SQL
/// (both engines take it), null as SQL NULL, a bool as 1 or 0 (both schemas keep flags as INTEGER).
/// </summary>
public static class DbParameters
{
    public static DbParameter AddWithValue(this DbParameterCollection parameters, string name, object? value)
    {
        var parameter = Create(parameters, name);
        parameter.Value = value switch
        {
            null => DBNull.Value,
            bool flag => flag ? 1 : 0,
            string text when parameter is NpgsqlParameter => SqlDialect.PostgresText(text),
            _ => value,
        };
        // Npgsql sends an untyped NULL as "unknown", for PostgreSQL to type from where it stands (COALESCE(@x, column));
        // where nothing types it (`@x IS NULL` alone) the SQL casts it.
        parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A parameter of a prepared statement, its value set before each run.</summary>
    public static DbParameter Add(this DbParameterCollection parameters, string name, DbType type)
    {
        var parameter = Create(parameters, name);
        parameter.DbType = type;
        parameters.Add(parameter);
        return parameter;
    }

    private static DbParameter Create(DbParameterCollection parameters, string name) =>
        parameters is NpgsqlParameterCollection ? new NpgsqlParameter { ParameterName = name } : new SqliteParameter { ParameterName = name };
}
