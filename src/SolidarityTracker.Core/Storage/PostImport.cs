using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Storage;

/// <summary>
/// A bulk import: one connection, with its statements prepared once, stores every batch, each batch in a transaction
/// of its own under the write gate (so a poll can still write between two batches, and a crash loses at most the batch
/// being stored). While it lasts the connection keeps a larger page cache and checkpoints the write-ahead log less
/// often; disposing it puts both back and checkpoints what the import left in the log.
/// </summary>
public sealed class PostImport : IDisposable
{
    /// <summary>Pages of log between checkpoints while importing (64 MiB), instead of SQLite's 1,000.</summary>
    private const int ImportCheckpointPages = 16_384;

    /// <summary>The page cache while importing (64 MiB, as a negative count of KiB), instead of SQLite's 2 MiB.</summary>
    private const int ImportCacheKiB = 65_536;

    private readonly TrackerDatabase _database;
    private readonly DbConnection _connection;
    private readonly PostWriter _writer;
    private readonly DbCommand _agency;
    private readonly DbParameter _agencyId, _agencyName, _agencyState;
    private readonly HashSet<string> _agenciesStored = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Platform, string Key), long> _accounts = [];
    private bool _disposed;

    /// <summary>The import's page cache and checkpoint settings are SQLite's; PostgreSQL needs none.</summary>
    private bool IsSqlite => _connection is SqliteConnection;

    internal PostImport(TrackerDatabase database)
    {
        _database = database;
        _connection = database.Open();
        try
        {
            if (IsSqlite) TrackerDatabase.Execute(_connection, $"PRAGMA cache_size = -{ImportCacheKiB}; PRAGMA wal_autocheckpoint = {ImportCheckpointPages};");
            _writer = new PostWriter(_connection);
            // AccountStore.UpsertAgency(configured: false), prepared once: a batch of posts can name hundreds of agencies.
            _agency = _connection.CreateCommand();
            _agency.CommandText = "INSERT INTO agencies (id, name, state, configured) VALUES (@id, @name, @state, 0) ON CONFLICT (id) DO NOTHING;";
            _agencyId = _agency.Parameters.Add("@id", DbType.String);
            _agencyName = _agency.Parameters.Add("@name", DbType.String);
            _agencyState = _agency.Parameters.Add("@state", DbType.String);
            LoadAccounts();
        }
        catch
        {
            Discard();
            throw;
        }
    }

    /// <summary>Stores one batch in one transaction, creating the agencies it names that are not stored yet as unconfigured rows.</summary>
    public Task<PostStore.SaveResult> SaveAsync(IReadOnlyList<Post> posts, IReadOnlyList<ClassificationResult> labels,
        IReadOnlyDictionary<string, Agency> agencies, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        SaveAsync(ClassifiedPosts.Of(posts, labels), agencies, now, cancellationToken);

    /// <summary>As above, with the posts classified by <see cref="ClassifiedPosts.Classify"/>, the step polling and import share.</summary>
    public async Task<PostStore.SaveResult> SaveAsync(ClassifiedPosts classified, IReadOnlyDictionary<string, Agency> agencies, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var posts = classified.Posts;
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var transaction = _connection.BeginTransaction();
            _agency.Transaction = transaction;
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var post in posts)
            {
                if (post.AgencyId is not { } agencyId || _agenciesStored.Contains(agencyId) || !named.Add(agencyId)) continue;
                var agency = agencies.TryGetValue(agencyId, out var known) ? known : new Agency(agencyId, agencyId, null);
                _agencyId.Value = agency.Id;
                _agencyName.Value = agency.Name;
                _agencyState.Value = (object?)agency.State ?? DBNull.Value;
                _agency.ExecuteNonQuery();
            }
            var result = _writer.Write(transaction, posts, classified.Columns, accountId: null, agencyId: null, now, AccountOf);
            transaction.Commit();
            _agenciesStored.UnionWith(named);
            return result;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    /// <summary>
    /// The stored accounts, so each imported post is linked to the account it came from: by platform and handle (without
    /// @ and case; feed URLs without case), or by the account's stable id (X user id, Bluesky DID, Mastodon account id).
    /// Configured accounts come first when two rows would match.
    /// </summary>
    private void LoadAccounts()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, platform, handle, external_id FROM accounts ORDER BY configured DESC, id;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var platform = reader.GetString(1);
            _accounts.TryAdd((platform, Key(platform, reader.GetString(2))), id);
            if (!reader.IsDBNull(3)) _accounts.TryAdd((platform, "id:" + reader.GetString(3)), id);
        }
    }

    private long? AccountOf(Post post)
    {
        if (post.Account.Length == 0) return null;
        return _accounts.TryGetValue((post.Platform, Key(post.Platform, post.Account)), out var id)
            || _accounts.TryGetValue((post.Platform, "id:" + post.Account.Trim()), out id) ? id : null;
    }

    private static string Key(string platform, string handle) => AccountStore.NormalizeHandle(platform, handle).ToLowerInvariant();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            // The pooled connection goes back with SQLite's defaults; the log the import grew is copied into the database now.
            if (IsSqlite) TrackerDatabase.Execute(_connection, "PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(PASSIVE);");
            _agency.Dispose();
            _writer.Dispose();
            _connection.Dispose();
        }
        catch (DbException)
        {
            Discard();
        }
    }

    /// <summary>Closes the connection for good, so a connection with the import's settings never goes back to the pool.</summary>
    private void Discard()
    {
        if (_connection is SqliteConnection sqlite) SqliteConnection.ClearPool(sqlite);
        _connection.Dispose();
    }
}
