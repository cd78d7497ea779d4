using Microsoft.Data.Sqlite;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>Posts with their labels. Keyed by (platform, post_id): storing the same post twice never duplicates it.</summary>
public sealed class PostStore(TrackerDatabase database, IEnumerable<IPageObserver> observers)
{
    private readonly IPageObserver[] _observers = observers.ToArray();

    public PostStore(TrackerDatabase database) : this(database, []) { }

    public sealed record SaveResult(int Added, int Updated);

    /// <summary>
    /// Stores one page from a source in one transaction: its posts and labels, the account's new cursor,
    /// its resolved id and a profile snapshot when the profile changed. A crash before commit leaves
    /// neither the posts nor the cursor, so the next poll asks again from the old cursor.
    /// </summary>
    public Task<SaveResult> SavePageAsync(AccountState account, SourcePage page, IReadOnlyList<ClassificationResult> labels, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        SavePageAsync(account, page, ClassifiedPosts.Of(page.Posts, labels), now, cancellationToken);

    /// <summary>As above, with the page's posts classified by <see cref="ClassifiedPosts.Classify"/>, the step polling and import share.</summary>
    public async Task<SaveResult> SavePageAsync(AccountState account, SourcePage page, ClassifiedPosts classified, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!ReferenceEquals(classified.Posts, page.Posts)) throw new ArgumentException("the page's own posts, classified", nameof(classified));
        var labels = classified.Results;
        // SQLite has one writer at a time, so pages queue here; PostgreSQL stores a node's pages side by side (incident
        // detection, the one step that must not, takes its own lock: see IncidentDetector.Detect).
        var gated = !database.IsPostgres;
        if (gated) await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = await database.OpenAsync(cancellationToken);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            SaveResult result;
            List<NewPost>? added = null;
            using (var writer = new PostWriter(connection))
            {
                result = writer.Write(transaction, page.Posts, classified.Columns, account.Id, account.AgencyId, now);
                if (_observers.Length > 0 && writer.Added.Count > 0) added = writer.Added.Select(a => new NewPost(a.Id, page.Posts[a.Index], labels[a.Index])).ToList();
            }
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = """
                    UPDATE accounts SET cursor = COALESCE(@cursor, cursor), external_id = COALESCE(@external, external_id),
                        current_handle = CASE WHEN CAST(@handle AS TEXT) IS NULL THEN current_handle WHEN lower(CAST(@handle AS TEXT)) = lower(handle) THEN NULL ELSE CAST(@handle AS TEXT) END
                    WHERE id = @id;
                    """;
                command.Parameters.AddWithValue("@id", account.Id);
                command.Parameters.AddWithValue("@handle", (object?)page.Handle ?? DBNull.Value);
                command.Parameters.AddWithValue("@cursor", (object?)page.Cursor ?? DBNull.Value);
                command.Parameters.AddWithValue("@external", (object?)page.ExternalId ?? DBNull.Value);
                command.ExecuteNonQuery();
            }
            if (page.Profile is { } profile) RecordProfile(connection, transaction, account.Id, profile);
            if (page.DeletedPostIds is { Count: > 0 } deleted) MarkDeleted(connection, transaction, account.Platform, deleted, now);
            if (page.ListedSince is { } since) MarkMissingAsDeleted(connection, transaction, account.Id, since, page.Posts, now);
            var stored = added is null ? null : new StoredPage(connection, transaction, account, added, now);
            if (stored is not null) foreach (var observer in _observers) observer.Stored(stored);
            await transaction.CommitAsync(CancellationToken.None);
            if (stored is not null) foreach (var observer in _observers) observer.Committed(stored);
            return result;
        }
        finally
        {
            if (gated) database.WriteGate.Release();
        }
    }

    /// <summary>Stores posts from an archive, creating unknown agencies as unconfigured rows. Safe to repeat.</summary>
    public async Task<SaveResult> ImportAsync(IReadOnlyList<Post> posts, IReadOnlyList<ClassificationResult> labels, IReadOnlyDictionary<string, Agency> agencies, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var import = BeginImport();
        return await import.SaveAsync(ClassifiedPosts.Of(posts, labels), agencies, now, cancellationToken);
    }

    /// <summary>Starts a bulk import: many batches through one connection (see <see cref="PostImport"/>).</summary>
    public PostImport BeginImport() => new(database);

    private static void RecordProfile(DbConnection connection, DbTransaction transaction, long accountId, ProfileSnapshot profile)
    {
        using var last = connection.CreateCommand();
        last.Transaction = transaction;
        last.CommandText = "SELECT display_name, avatar_url FROM profile_snapshots WHERE account_id = @id ORDER BY seen_at DESC, id DESC LIMIT 1;";
        last.Parameters.AddWithValue("@id", accountId);
        using (var reader = last.ExecuteReader())
        {
            if (reader.Read() && StringOrNull(reader, 0) == profile.DisplayName && StringOrNull(reader, 1) == profile.AvatarUrl) return;
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO profile_snapshots (account_id, display_name, avatar_url, seen_at) VALUES (@id, @name, @avatar, @seen);";
        insert.Parameters.AddWithValue("@id", accountId);
        insert.Parameters.AddWithValue("@name", (object?)profile.DisplayName ?? DBNull.Value);
        insert.Parameters.AddWithValue("@avatar", (object?)profile.AvatarUrl ?? DBNull.Value);
        insert.Parameters.AddWithValue("@seen", ToDb(profile.SeenAt));
        insert.ExecuteNonQuery();
    }

    private static void MarkDeleted(DbConnection connection, DbTransaction transaction, string platform, IReadOnlyList<string> postIds, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE posts SET deleted_at = COALESCE(deleted_at, @now) WHERE platform = @platform AND post_id = @id;";
        var id = command.Parameters.Add("@id", DbType.String);
        command.Parameters.AddWithValue("@platform", platform);
        command.Parameters.AddWithValue("@now", ToDb(now));
        foreach (var postId in postIds)
        {
            id.Value = postId;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The page lists every post of the account created since <paramref name="since"/>: the account's stored posts of
    /// that window that it lacks are marked deleted (kept, and left out of digests and exports); a post the page
    /// lists again is no longer marked.
    /// </summary>
    private static void MarkMissingAsDeleted(DbConnection connection, DbTransaction transaction, long accountId, DateTimeOffset since, IReadOnlyList<Post> listed, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            CREATE TEMP TABLE IF NOT EXISTS listed_posts (post_id TEXT PRIMARY KEY);
            DELETE FROM listed_posts;
            """;
        command.ExecuteNonQuery();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO listed_posts (post_id) VALUES (@id) ON CONFLICT DO NOTHING;";
        var id = insert.Parameters.Add("@id", DbType.String);
        foreach (var post in listed)
        {
            id.Value = post.PostId;
            insert.ExecuteNonQuery();
        }
        using var mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = """
            UPDATE posts SET deleted_at = @now
            WHERE account_id = @account AND created_at >= @since AND deleted_at IS NULL
              AND post_id NOT IN (SELECT post_id FROM listed_posts);
            UPDATE posts SET deleted_at = NULL
            WHERE account_id = @account AND deleted_at IS NOT NULL AND post_id IN (SELECT post_id FROM listed_posts);
            """;
        mark.Parameters.AddWithValue("@now", ToDb(now));
        mark.Parameters.AddWithValue("@account", accountId);
        mark.Parameters.AddWithValue("@since", ToDb(since));
        mark.ExecuteNonQuery();
    }

    /// <summary>Profile changes first seen in [fromUtc, toUtc): each snapshot beside the one before it.</summary>
    public IReadOnlyList<ProfileChange> ProfileChanges(DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.agency_id, g.name, a.platform, a.handle, prev.display_name, s.display_name, prev.avatar_url, s.avatar_url, s.seen_at
            FROM profile_snapshots s
            JOIN accounts a ON a.id = s.account_id
            JOIN agencies g ON g.id = a.agency_id
            JOIN profile_snapshots prev ON prev.id = (
                SELECT p.id FROM profile_snapshots p WHERE p.account_id = s.account_id AND (p.seen_at < s.seen_at OR (p.seen_at = s.seen_at AND p.id < s.id))
                ORDER BY p.seen_at DESC, p.id DESC LIMIT 1)
            WHERE s.seen_at >= @from AND s.seen_at < @to
            ORDER BY s.seen_at, g.name;
            """;
        command.Parameters.AddWithValue("@from", ToDb(fromUtc));
        command.Parameters.AddWithValue("@to", ToDb(toUtc));
        var list = new List<ProfileChange>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            list.Add(new ProfileChange(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                StringOrNull(reader, 4), StringOrNull(reader, 5), StringOrNull(reader, 6), StringOrNull(reader, 7), FromDb(reader.GetString(8))));
        return list;
    }

    /// <summary>Stored posts matching a query, oldest first, streamed row by row so memory stays flat.</summary>
    public async IAsyncEnumerable<StoredPost> QueryAsync(PostQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        query = await ResolveFullTextAsync(connection, query);
        var where = Filter(command, query, stateColumn: "g.state");
        command.CommandText = $"""
            SELECT p.id, p.platform, p.post_id, p.agency_id, p.account, p.created_at, p.url, p.text, p.is_repost, p.is_reply, p.lang,
                   p.edited_at, p.deleted_at, g.name, g.state,
                   c.labels, c.condolence_score, c.memorial_score, c.safety_reminder_score, c.evidence, c.classifier_version
                   {(query.IncludeRaw ? ", p.raw_json" : "")}
            FROM posts p
            LEFT JOIN agencies g ON g.id = p.agency_id
            LEFT JOIN classifications c ON c.post_id = p.id
            {where}
            ORDER BY p.created_at, p.id
            {(query.Limit is { } limit ? $"LIMIT {limit}" : "")};
            """;
        await foreach (var post in StreamAsync(command, query, r => ReadStoredPost(r, query.IncludeRaw, query.IncludeEvidence), cancellationToken))
            yield return post;
    }

    /// <summary>
    /// The posts of <see cref="QueryAsync"/> with only what an export shows (no evidence, raw JSON or edit times),
    /// oldest first, streamed. Each agency is read once, the first time a row names it, instead of a join per row
    /// (a million-row export is markedly cheaper) or a read of every agency (a 100-row page among 10,000 agencies
    /// would read them all). Same filters, same order, same bad-query error.
    /// </summary>
    public async IAsyncEnumerable<StoredPost> ExportRowsAsync(PostQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        // SQLite reads agencies on the same connection while the rows stream; PostgreSQL runs one command at a time on a connection.
        using var namesConnection = SqlDialect.IsPostgres(connection) ? database.Open() : null;
        using var names = (namesConnection ?? connection).CreateCommand();
        names.CommandText = "SELECT name, state FROM agencies WHERE id = @id;";
        var nameId = names.Parameters.Add("@id", DbType.String);
        var agencies = new AgencyLookup(id =>
        {
            nameId.Value = id;
            using var r = names.ExecuteReader();
            return r.Read() ? (r.GetString(0), StringOrNull(r, 1)) : null;
        });
        using var command = connection.CreateCommand();
        // A page of a search matching many (the dashboard's, the API's) walks posts in time order, as QueryAsync does.
        query = await ResolveFullTextAsync(connection, query);
        var where = Filter(command, query, stateColumn: null);
        command.CommandText = $"""
            SELECT p.id, p.platform, p.post_id, p.agency_id, p.account, p.created_at, p.url, p.text, p.is_repost, p.is_reply, p.lang,
                   p.deleted_at, c.labels, c.condolence_score, c.memorial_score, c.safety_reminder_score
            FROM posts p
            LEFT JOIN classifications c ON c.post_id = p.id
            {where}
            ORDER BY p.created_at, p.id
            {(query.Limit is { } limit ? $"LIMIT {limit}" : "")};
            """;
        var none = ClassificationResult.None("unclassified");
        await foreach (var post in StreamAsync(command, query, reader => ReadExportRow(reader, agencies, none), cancellationToken))
            yield return post;
    }

    /// <summary>The WHERE clause of a query, its parameters bound on <paramref name="command"/>. Without a state column the state filter goes through agencies.</summary>
    private static string Filter(DbCommand command, PostQuery query, string? stateColumn)
    {
        var where = new List<string>();
        if (!query.IncludeDeleted) where.Add("p.deleted_at IS NULL");
        if (query.FromUtc is { } from) { where.Add("p.created_at >= @from"); command.Parameters.AddWithValue("@from", ToDb(from)); }
        if (query.ToUtc is { } to) { where.Add("p.created_at < @to"); command.Parameters.AddWithValue("@to", ToDb(to)); }
        if (query.Label is { } label)
        {
            if (label == Labels.Other) where.Add("(c.labels IS NULL OR c.labels = '')");
            else { where.Add("(';' || c.labels || ';') LIKE @label"); command.Parameters.AddWithValue("@label", $"%;{label};%"); }
        }
        if (query.AgencyId is { } agency) { where.Add(SqlDialect.EqualsNoCase(command, "p.agency_id", "@agency")); command.Parameters.AddWithValue("@agency", agency); }
        if (query.Platform is { } platform) { where.Add("p.platform = @platform"); command.Parameters.AddWithValue("@platform", platform); }
        if (query.State is { } state)
        {
            where.Add(stateColumn is null ? $"p.agency_id IN (SELECT id FROM agencies WHERE {SqlDialect.EqualsNoCase(command, "state", "@state")})" : SqlDialect.EqualsNoCase(command, stateColumn, "@state"));
            command.Parameters.AddWithValue("@state", state);
        }
        if (query.FullText is { } text) where.Add(SqlDialect.FullTextCondition(command, "p", text));
        // Stored ids only (a resolved search page, see ResolveFullTextAsync): numbers the store made, written inline.
        if (query.Ids is { } ids) where.Add(ids.Count == 0 ? "0" : $"p.id IN ({string.Join(',', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)))})");
        if (query.After is { } after)
        {
            // Keyset paging on the order every query uses, (created_at, id): a page boundary stays put while posts are added.
            where.Add("(p.created_at > @after_at OR (p.created_at = @after_at AND p.id > @after_id))");
            command.Parameters.AddWithValue("@after_at", ToDb(after.CreatedAt));
            command.Parameters.AddWithValue("@after_id", after.Id);
        }
        if (query.Key is { } key)
        {
            where.Add("p.platform = @key_platform AND p.post_id = @key_post");
            command.Parameters.AddWithValue("@key_platform", key.Platform);
            command.Parameters.AddWithValue("@key_post", key.PostId);
        }
        return where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";
    }

    /// <summary>Reads a query's rows one by one; a bad full-text query, which SQLite reports when it first reads, becomes bad input.</summary>
    private static async IAsyncEnumerable<StoredPost> StreamAsync(DbCommand command, PostQuery query, Func<DbDataReader, StoredPost> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = await FullTextGuard(query, () => command.ExecuteReaderAsync(cancellationToken));
        while (await FullTextGuard(query, () => reader.ReadAsync(cancellationToken)))
            yield return read(reader);
    }

    /// <summary>
    /// Past this many matches, the first page of a search is found faster by walking posts in time order (each checked
    /// against the matches) than by sorting every match by time: over 1,000,000 posts, 40 ms instead of 110 ms for a
    /// word in 55,000 posts. Below it the matches are few enough to sort, and a walk might have to go far to find them.
    /// </summary>
    internal const int ManyMatches = 5_000;

    /// <summary>Posts read from the time index per step of the walk at first; each step reads twice as many as the last.</summary>
    internal const int WalkChunk = 1_000;

    /// <summary>Past this many posts walked, the walk gives up and the matches are sorted after all (a filter that leaves few).</summary>
    internal const int WalkLimit = 200_000;

    /// <summary>
    /// A page (<see cref="PostQuery.Limit"/>) of a search matching many posts, found without reading every match: walk
    /// the posts that pass the other filters in (created_at, id) order, a chunk at a time from the time index, and ask
    /// the full-text index which of the chunk's ids match, reading only the chunk's range of ids from it. Posts are
    /// stored roughly in time order, so a chunk's ids are close together and that range is small; when they are not,
    /// the answer is the same, only slower. The query that comes back names the page's posts by id (and no longer the
    /// text). A search matching few, or not paged, comes back as it was.
    /// </summary>
    private static async Task<PostQuery> ResolveFullTextAsync(DbConnection connection, PostQuery query)
    {
        // PostgreSQL's planner walks the time index itself when a GIN match is common; the walk is SQLite's.
        if (SqlDialect.IsPostgres(connection)) return query;
        if (query.Limit is not { } limit || query.FullText is not { } text || !await MatchesManyAsync(connection, query)) return query;
        var walk = query with { FullText = null, Limit = null };
        var found = new List<long>(limit);
        var chunk = WalkChunk;
        var walked = 0;
        while (found.Count < limit)
        {
            var ids = new List<long>(chunk);
            PostPosition? last = null;
            using (var command = connection.CreateCommand())
            {
                var where = Filter(command, walk, stateColumn: null);
                command.CommandText = $"""
                    SELECT p.id, p.created_at FROM posts p INDEXED BY posts_by_created_at
                    {(walk.Label is null ? "" : "LEFT JOIN classifications c ON c.post_id = p.id")}
                    {where}
                    ORDER BY p.created_at, p.id LIMIT {chunk};
                    """;
                using var reader = command.ExecuteReader();
                string? lastAt = null;
                while (reader.Read())
                {
                    ids.Add(reader.GetInt64(0));
                    lastAt = reader.GetString(1);
                }
                if (lastAt is not null) last = new PostPosition(FromDb(lastAt), ids[^1]);
            }
            if (ids.Count == 0) break;
            HashSet<long> matching = [];
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT rowid FROM posts_fts WHERE posts_fts MATCH @fts AND rowid BETWEEN @low AND @high;";
                command.Parameters.AddWithValue("@fts", text);
                command.Parameters.AddWithValue("@low", ids.Min());
                command.Parameters.AddWithValue("@high", ids.Max());
                using var reader = await FullTextGuard(query, () => command.ExecuteReaderAsync());
                while (reader.Read()) matching.Add(reader.GetInt64(0));
            }
            foreach (var id in ids)
                if (matching.Contains(id) && found.Count < limit) found.Add(id);
            walked += ids.Count;
            if (ids.Count < chunk) break;
            if (walked >= WalkLimit) return query; // few posts pass the other filters and match: sorting the matches is cheaper
            walk = walk with { After = last };
            chunk = Math.Min(chunk * 2, 64 * WalkChunk);
        }
        return query with { FullText = null, Ids = found };
    }

    private static async Task<bool> MatchesManyAsync(DbConnection connection, PostQuery query)
    {
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM (SELECT 1 FROM posts_fts WHERE posts_fts MATCH @fts LIMIT {ManyMatches + 1});";
        count.Parameters.AddWithValue("@fts", query.FullText);
        return (long)(await FullTextGuard(query, () => count.ExecuteScalarAsync()))! > ManyMatches;
    }

    /// <summary>
    /// FTS5 reports a bad MATCH expression as a plain SQLITE_ERROR, not always naming fts5 ("unterminated string",
    /// "no such column: x"); the rest of the SQL is fixed, so an SQLITE_ERROR with a full-text query is the query's.
    /// (On PostgreSQL the query is checked, and refused, before it runs: see <see cref="PostgresFullText"/>.)
    /// </summary>
    private static async Task<T> FullTextGuard<T>(PostQuery query, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (SqliteException ex) when (query.FullText is not null && ex.SqliteErrorCode == 1)
        {
            throw FullTextQuery.Bad(query.FullText, FullTextQuery.Reason(ex), ex);
        }
    }

    /// <summary>Agencies by id, each read from the store the first time it is asked for (a missing one is remembered too).</summary>
    private sealed class AgencyLookup(Func<string, (string Name, string? State)?> read)
    {
        private readonly Dictionary<string, (string Name, string? State)?> _known = new(StringComparer.Ordinal);

        public bool TryGetValue(string id, out (string Name, string? State) agency)
        {
            if (!_known.TryGetValue(id, out var found)) _known[id] = found = read(id);
            agency = found.GetValueOrDefault();
            return found is not null;
        }
    }

    private static StoredPost ReadExportRow(DbDataReader reader, AgencyLookup agencies, ClassificationResult none)
    {
        var agencyId = StringOrNull(reader, 3);
        (string Name, string? State) known = default;
        var hasAgency = agencyId is not null && agencies.TryGetValue(agencyId, out known);
        ClassificationResult classification;
        if (reader.IsDBNull(12)) classification = none;
        else
        {
            var labels = reader.GetString(12);
            classification = new ClassificationResult(
                labels.Length == 0 ? [] : labels.Split(';', StringSplitOptions.RemoveEmptyEntries),
                new Dictionary<string, double>(3)
                {
                    [Labels.Condolence] = reader.GetDouble(13),
                    [Labels.Memorial] = reader.GetDouble(14),
                    [Labels.SafetyReminder] = reader.GetDouble(15),
                },
                [], "");
        }
        return new StoredPost
        {
            Id = reader.GetInt64(0),
            Post = ReadPost(reader),
            DeletedAt = FromDbNullable(reader, 11),
            AgencyName = hasAgency ? known.Name : null,
            AgencyState = hasAgency ? known.State : null,
            Classification = classification,
        };
    }

    /// <summary>The post columns both queries select first, in this order: id, platform, post_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang.</summary>
    private static Post ReadPost(DbDataReader r, DateTimeOffset? editedAt = null, string? rawJson = null) => new()
    {
        Platform = r.GetString(1),
        PostId = r.GetString(2),
        AgencyId = StringOrNull(r, 3),
        Account = r.GetString(4),
        CreatedAt = FromDb(r.GetString(5)),
        Url = StringOrNull(r, 6),
        Text = r.GetString(7),
        IsRepost = r.GetInt32(8) == 1,
        IsReply = r.GetInt32(9) == 1,
        Lang = StringOrNull(r, 10),
        EditedAt = editedAt,
        RawJson = rawJson,
    };

    private static StoredPost ReadStoredPost(DbDataReader r, bool includeRaw, bool includeEvidence = true)
    {
        var post = ReadPost(r, editedAt: FromDbNullable(r, 11), rawJson: includeRaw ? StringOrNull(r, 21) : null);
        ClassificationResult classification;
        if (r.IsDBNull(15))
        {
            classification = ClassificationResult.None("unclassified");
        }
        else
        {
            var labels = r.GetString(15).Split(';', StringSplitOptions.RemoveEmptyEntries);
            var scores = new Dictionary<string, double>
            {
                [Labels.Condolence] = r.GetDouble(16),
                [Labels.Memorial] = r.GetDouble(17),
                [Labels.SafetyReminder] = r.GetDouble(18),
            };
            var evidence = includeEvidence
                ? LabelColumns.ParseEvidence(r.GetString(19))
                : [];
            classification = new ClassificationResult(labels, scores, evidence, r.GetString(20));
        }
        return new StoredPost
        {
            Id = r.GetInt64(0),
            Post = post,
            DeletedAt = FromDbNullable(r, 12),
            AgencyName = StringOrNull(r, 13),
            AgencyState = StringOrNull(r, 14),
            Classification = classification,
        };
    }

    /// <summary>Replaces the labels of already stored posts (reclassify), one transaction per batch.</summary>
    public async Task ReplaceClassificationsAsync(IReadOnlyList<(long PostId, ClassificationResult Result)> batch, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            using (var writer = new PostWriter(connection)) writer.WriteLabels(transaction, batch, now);
            transaction.Commit();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>
    /// One post with all the dashboard shows of it: evidence, the texts its edits replaced, the profile its account
    /// showed when it was posted, and its label corrections (newest first). Null when no such post is stored.
    /// </summary>
    public async Task<PostDetails?> FindAsync(string platform, string postId, CancellationToken cancellationToken = default)
    {
        StoredPost? found = null;
        await foreach (var post in QueryAsync(new PostQuery { Key = (platform, postId), IncludeDeleted = true }, cancellationToken)) found = post;
        if (found is null) return null;
        using var connection = database.Open();
        var versions = new List<PostVersion>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT text, replaced_at FROM post_versions WHERE post_id = @id ORDER BY replaced_at, id;";
            command.Parameters.AddWithValue("@id", found.Id);
            using var reader = command.ExecuteReader();
            while (reader.Read()) versions.Add(new PostVersion(reader.GetString(0), FromDb(reader.GetString(1))));
        }
        ProfileSnapshot? profile = null;
        using (var command = connection.CreateCommand())
        {
            // The last snapshot seen at or before the post, else the first one after it.
            command.CommandText = """
                SELECT s.display_name, s.avatar_url, s.seen_at FROM profile_snapshots s JOIN posts p ON p.account_id = s.account_id
                WHERE p.id = @id ORDER BY (s.seen_at <= p.created_at) DESC, CASE WHEN s.seen_at <= p.created_at THEN s.seen_at END DESC, s.seen_at LIMIT 1;
                """;
            command.Parameters.AddWithValue("@id", found.Id);
            using var reader = command.ExecuteReader();
            if (reader.Read()) profile = new ProfileSnapshot(StringOrNull(reader, 0), StringOrNull(reader, 1), FromDb(reader.GetString(2)));
        }
        return new PostDetails(found, versions, profile, LabelCorrections.For(connection, found.Id));
    }

    /// <summary>When the newest stored (not deleted) post was created; null when none is.</summary>
    public DateTimeOffset? NewestAt()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(created_at) FROM posts WHERE deleted_at IS NULL;";
        return command.ExecuteScalar() is string value ? FromDb(value) : null;
    }

    public long Count()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM posts;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
