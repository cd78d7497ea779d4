using Microsoft.Data.Sqlite;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>
/// The statements that store posts with their labels, prepared once for a connection and reused for every post:
/// for a polled page, or for every batch of an import (<see cref="PostImport"/>). Keyed by (platform, post_id):
/// a post already stored with the same text is left alone, one with another text is an edit.
/// </summary>
internal sealed class PostWriter : IDisposable
{
    private static readonly string[] Columns =
        ["platform", "post_id", "account_id", "agency_id", "account", "created_at", "url", "text", "is_repost", "is_reply", "lang", "raw_json", "edited_at", "fetched_at"];

    private readonly DbConnection _connection;
    // On SQLite the per-row statements run through SQLitePCL.raw (see RawStatement): through SqliteCommand they cost about as much as SQLite's work.
    private readonly IRowStatement _insert, _label, _reapply, _link;
    private readonly bool _fullTextIndex;
    private readonly DbCommand _existing;
    private readonly DbParameter _existingPlatform, _existingPostId;
    private readonly int _labelId, _labels, _c, _m, _s, _evidence, _version, _labelNow, _reapplyId;

    public PostWriter(DbConnection connection)
    {
        _connection = connection;
        // SQLite keeps its own full-text table (posts_fts, filled per batch); PostgreSQL's tsvector is a generated column.
        _fullTextIndex = connection is Microsoft.Data.Sqlite.SqliteConnection;
        // The parameters are numbered in Columns' order: @c1 is platform. SQLite gives the new row's id without RETURNING
        // (sqlite3_last_insert_rowid); elsewhere the INSERT returns it.
        _insert = IRowStatement.Prepare(connection, $"""
            INSERT INTO posts ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"@c{i + 1}"))})
            ON CONFLICT (platform, post_id) DO NOTHING{(_fullTextIndex ? "" : " RETURNING id")};
            """);

        _existing = connection.CreateCommand();
        _existing.CommandText = "SELECT id, text FROM posts WHERE platform = @platform AND post_id = @post_id;";
        _existingPlatform = _existing.Parameters.Add("@platform", DbType.String);
        _existingPostId = _existing.Parameters.Add("@post_id", DbType.String);

        _label = IRowStatement.Prepare(connection, """
            INSERT INTO classifications (post_id, labels, condolence_score, memorial_score, safety_reminder_score, evidence, classifier_version, classified_at)
            VALUES (@id, @labels, @c, @m, @s, @evidence, @version, @now)
            ON CONFLICT (post_id) DO UPDATE SET labels = @labels, condolence_score = @c, memorial_score = @m, safety_reminder_score = @s,
                evidence = @evidence, classifier_version = @version, classified_at = @now;
            """);
        _labelId = _label.Parameter("@id");
        _labels = _label.Parameter("@labels");
        _c = _label.Parameter("@c");
        _m = _label.Parameter("@m");
        _s = _label.Parameter("@s");
        _evidence = _label.Parameter("@evidence");
        _version = _label.Parameter("@version");
        _labelNow = _label.Parameter("@now");
        _reapply = IRowStatement.Prepare(connection, LabelCorrections.ReapplySql);
        _link = IRowStatement.Prepare(connection, "UPDATE posts SET account_id = @account WHERE platform = @platform AND post_id = @post_id AND account_id IS NULL;");
        _reapplyId = _reapply.Parameter("@id");
    }

    /// <summary>The row id and page index of each post the last <see cref="Write"/> added.</summary>
    public List<(long Id, int Index)> Added { get; } = [];

    /// <summary>
    /// Stores the posts and their labels inside <paramref name="transaction"/>; new posts join the full-text index before it commits.
    /// Each post belongs to <paramref name="accountId"/> (a poll), or to the account <paramref name="accountOf"/> finds for it
    /// (an import), which also links a post stored earlier without an account.
    /// </summary>
    public PostStore.SaveResult Write(DbTransaction transaction, IReadOnlyList<Post> posts, IReadOnlyList<LabelColumns> labels,
        long? accountId, string? agencyId, DateTimeOffset now, Func<Post, long?>? accountOf = null)
    {
        if (labels.Count != posts.Count) throw new ArgumentException("one classification per post", nameof(labels));
        if (_connection is Npgsql.NpgsqlConnection postgres && Postgres.PostgresPostBatch.Fits(posts))
            return Postgres.PostgresPostBatch.Write(this, postgres, posts, labels, accountId, agencyId, now, accountOf);
        _existing.Transaction = transaction;
        var fetchedAt = ToDb(now);
        _label.Bind(_labelNow, fetchedAt);
        int added = 0, updated = 0;
        long? firstNewId = null;
        Added.Clear();
        for (var i = 0; i < posts.Count; i++)
        {
            var post = posts[i];
            var account = accountOf?.Invoke(post) ?? accountId;
            _insert.Bind(1, post.Platform);
            _insert.Bind(2, post.PostId);
            _insert.Bind(3, account);
            _insert.Bind(4, post.AgencyId ?? agencyId);
            _insert.Bind(5, post.Account);
            _insert.Bind(6, ToDb(post.CreatedAt));
            _insert.Bind(7, post.Url);
            _insert.Bind(8, post.Text);
            _insert.Bind(9, post.IsRepost);
            _insert.Bind(10, post.IsReply);
            _insert.Bind(11, post.Lang);
            _insert.Bind(12, post.RawJson);
            _insert.Bind(13, ToDb(post.EditedAt));
            _insert.Bind(14, fetchedAt);
            if (_insert.Execute() == 1)
            {
                var id = _insert.LastInsertRowId;
                firstNewId ??= id;
                added++;
                Added.Add((id, i));
                WriteLabels(id, labels[i]);
                continue;
            }
            if (accountOf is not null && account is { } linked) Link(linked, post);
            if (Stored(post) is not var (storedId, storedText) || storedText == post.Text) continue;
            // The edit trigger takes the old text out of the full-text index, so the batch's new rows must be in it first.
            if (firstNewId is { } pending) { IndexNewPosts(transaction, pending); firstNewId = null; }
            TakeEdit(storedId, storedText, post, labels[i], now, transaction);
            updated++;
        }
        if (firstNewId is { } first) IndexNewPosts(transaction, first);
        return new PostStore.SaveResult(added, updated);
    }

    /// <summary>Replaces the labels of stored posts (reclassify) inside <paramref name="transaction"/>.</summary>
    public void WriteLabels(DbTransaction transaction, IReadOnlyList<(long PostId, ClassificationResult Result)> batch, DateTimeOffset now)
    {
        _label.Bind(_labelNow, ToDb(now));
        foreach (var (postId, result) in batch)
        {
            WriteLabels(postId, LabelColumns.Of(result));
            KeepCorrection(postId);
        }
    }

    /// <summary>An edit of a stored post: the old text kept, the new one and its labels taken, a person's correction put back.</summary>
    internal void TakeEdit(long id, string oldText, Post post, LabelColumns labels, DateTimeOffset now, DbTransaction? transaction = null)
    {
        UpdateEditedPost(transaction, id, oldText, post, now);
        _label.Bind(_labelNow, ToDb(now));
        WriteLabels(id, labels);
        KeepCorrection(id);
    }

    /// <summary>A post imported before its account was configured (or by an older version) gets the account now.</summary>
    internal void Link(long accountId, Post post)
    {
        _link.Bind(1, accountId);
        _link.Bind(2, post.Platform);
        _link.Bind(3, post.PostId);
        _link.Execute();
    }

    /// <summary>A person's correction outranks the classifier: put it back after a reclassification or an edit (a new post has none).</summary>
    private void KeepCorrection(long postId)
    {
        _reapply.Bind(_reapplyId, postId);
        _reapply.Execute();
    }

    private void WriteLabels(long postId, LabelColumns labels)
    {
        _label.Bind(_labelId, postId);
        _label.Bind(_labels, labels.Labels);
        _label.Bind(_c, labels.Condolence);
        _label.Bind(_m, labels.Memorial);
        _label.Bind(_s, labels.SafetyReminder);
        _label.Bind(_evidence, labels.Evidence);
        _label.Bind(_version, labels.ClassifierVersion);
        _label.Execute();
    }

    private (long Id, string Text)? Stored(Post post)
    {
        _existingPlatform.Value = post.Platform;
        _existingPostId.Value = post.PostId;
        using var reader = _existing.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// Adds the batch's new posts to the full-text index in one statement. New rows take ids above every stored one
    /// and the transaction holds the write lock, so every row from the batch's first new id up is the batch's. Doing
    /// this per batch rather than in a per-row trigger makes indexing about four times cheaper.
    /// </summary>
    private void IndexNewPosts(DbTransaction transaction, long firstNewId)
    {
        if (_fullTextIndex) IndexNewPosts(_connection, transaction, firstNewId);
    }

    internal static void IndexNewPosts(DbConnection connection, DbTransaction transaction, long firstNewId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO posts_fts (rowid, text) SELECT id, text FROM posts WHERE id >= @first;";
        command.Parameters.AddWithValue("@first", firstNewId);
        command.ExecuteNonQuery();
    }

    /// <summary>An edit: keep the text it replaces in post_versions, then take the new one.</summary>
    private void UpdateEditedPost(DbTransaction? transaction, long id, string oldText, Post post, DateTimeOffset now)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO post_versions (post_id, text, replaced_at) VALUES (@id, @old, @now);
            UPDATE posts SET text = @text, url = COALESCE(@url, url), raw_json = COALESCE(@raw, raw_json),
                edited_at = COALESCE(@edited, @now), is_repost = @is_repost, is_reply = @is_reply, lang = COALESCE(@lang, lang)
            WHERE id = @id;
            """;
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@old", oldText);
        command.Parameters.AddWithValue("@now", ToDb(now));
        command.Parameters.AddWithValue("@text", post.Text);
        command.Parameters.AddWithValue("@url", (object?)post.Url ?? DBNull.Value);
        command.Parameters.AddWithValue("@raw", (object?)post.RawJson ?? DBNull.Value);
        command.Parameters.AddWithValue("@edited", (object?)ToDb(post.EditedAt) ?? DBNull.Value);
        command.Parameters.AddWithValue("@is_repost", post.IsRepost ? 1 : 0);
        command.Parameters.AddWithValue("@is_reply", post.IsReply ? 1 : 0);
        command.Parameters.AddWithValue("@lang", (object?)post.Lang ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _existing.Dispose();
        _label.Dispose();
        _reapply.Dispose();
        _link.Dispose();
    }
}
