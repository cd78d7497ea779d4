using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SolidarityTracker.Storage.Postgres;

namespace SolidarityTracker.Storage;

/// <summary>
/// The store of Tracker:Provider: the one SQLite file (the default), or a PostgreSQL database. Opens connections
/// (for SQLite: WAL, busy timeout, foreign keys) and brings the schema up to date with the numbered migrations
/// (<see cref="Migrations"/>, <see cref="PostgresMigrations"/>: the same steps). Every store reads and writes through
/// <see cref="DbConnection"/> with the SQL both engines share; where they differ, <see cref="SqlDialect"/> words it.
/// Writers inside this process take <see cref="WriteGate"/> so they queue here rather than spin on SQLITE_BUSY; other
/// processes wait on the busy timeout (SQLite) or on PostgreSQL's row locks.
/// </summary>
public sealed class TrackerDatabase
{
    /// <summary>The SQLite file, or for PostgreSQL the database, host and user (never the password).</summary>
    public string Path { get; }
    private readonly string _connectionString;
    private int _migrated;

    /// <summary>The PostgreSQL store this opens, or null for SQLite.</summary>
    public PostgresDatabase? Postgres { get; }

    public bool IsPostgres => Postgres is not null;

    public string Provider => IsPostgres ? StoreProviders.Postgres : StoreProviders.Sqlite;

    private TrackerDatabase(PostgresDatabase postgres)
    {
        Postgres = postgres;
        Path = postgres.Describe;
        _connectionString = "";
    }

    /// <summary>The store on PostgreSQL (Tracker:Provider postgres).</summary>
    public static TrackerDatabase OnPostgres(PostgresDatabase postgres) => new(postgres);

    public SemaphoreSlim WriteGate { get; } = new(1, 1);

    public TrackerDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>True when the database holds no agency and no post (a new file, or not the one meant).</summary>
    public bool IsEmpty()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM agencies) AND NOT EXISTS (SELECT 1 FROM posts);";
        return Convert.ToInt64(command.ExecuteScalar()) == 1;
    }

    public DbConnection Open()
    {
        if (IsPostgres) return OpenAsync().AsTask().GetAwaiter().GetResult();
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            try { Directory.CreateDirectory(directory); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BadInputException(OutputPath.FileInTheWay(directory) is { } file
                    ? $"Tracker:Database {Path}: {file} is a file, not a folder"
                    : $"Tracker:Database {Path}: cannot create its folder {directory}: {OutputPath.Reason(ex)}", ex);
            }
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
            if (Interlocked.CompareExchange(ref _migrated, 1, 0) == 0)
            {
                try { Migrations.Apply(connection); }
                catch { _migrated = 0; throw; }
            }
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 /* NOTADB */ or 11 /* CORRUPT */)
        {
            connection.Dispose();
            throw new BadInputException($"Tracker:Database {Path}: not a SQLite database (or damaged); point Tracker:Database at another file", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 14 /* CANTOPEN */ or 8 /* READONLY */ or 23 /* AUTH */)
        {
            connection.Dispose();
            throw new BadInputException($"Tracker:Database {Path}: cannot open for writing ({ex.Message.TrimEnd('.')})", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// As <see cref="Open"/>, without holding a thread while PostgreSQL answers: the poll cycle opens one per account it
    /// polls, dozens at a time, and blocked threads would starve the pool that runs the requests. SQLite opens in process.
    /// </summary>
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Postgres is not { } postgres) return Open();
        if (Volatile.Read(ref _migrated) == 0)
        {
            // One node at a time under the advisory lock; a node that finds the schema current goes on at once.
            await postgres.MigrateAsync(cancellationToken);
            Volatile.Write(ref _migrated, 1);
        }
        return await postgres.OpenAsync(cancellationToken);
    }

    public static void Execute(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Timestamps are stored as fixed-width ISO 8601 UTC text, so text order is time order.</summary>
    public static string ToDb(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string? ToDb(DateTimeOffset? value) => value is { } v ? ToDb(v) : null;

    public static DateTimeOffset FromDb(string value) =>
        TryParseFixed(value, out var fixedWidth) ? fixedWidth :
        DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    /// <summary>The format <see cref="ToDb(DateTimeOffset)"/> writes, read without the general parser: exports read a million of these.</summary>
    private static bool TryParseFixed(string s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z') return false;
        int D(int i) => s[i] - '0';
        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22])
            if ((uint)D(i) > 9) return false;
        int year = D(0) * 1000 + D(1) * 100 + D(2) * 10 + D(3), month = D(5) * 10 + D(6), day = D(8) * 10 + D(9);
        int hour = D(11) * 10 + D(12), minute = D(14) * 10 + D(15), second = D(17) * 10 + D(18), ms = D(20) * 100 + D(21) * 10 + D(22);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59 || year < 1) return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero);
        return true;
    }

    public static DateTimeOffset? FromDbNullable(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromDb(reader.GetString(ordinal));

    public static string? StringOrNull(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
