using Npgsql;
using NpgsqlTypes;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage.Postgres;

/// <summary>
/// <see cref="PostWriter.Write"/> for a batch on PostgreSQL, in a few statements instead of a round trip per post: the
/// batch goes by binary COPY into a temporary table, new posts are inserted from it in the batch's order (ON CONFLICT DO
/// NOTHING RETURNING id) with their labels in one more statement, and only the posts stored before are read back, to
/// link their account or take an edit, which <see cref="PostWriter"/> does one by one as on SQLite. The result is the
/// same as the row-by-row path; a batch naming one post twice (an edit inside the batch) takes that path instead.
/// </summary>
internal static class PostgresPostBatch
{
    /// <summary>Below this many posts (a quiet account's page) the row-by-row path is as quick.</summary>
    public const int MinRows = 16;

    private const string Columns =
        "ord, platform, post_id, account_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, raw_json, edited_at, fetched_at, " +
        "labels, condolence_score, memorial_score, safety_reminder_score, evidence, classifier_version";

    public static bool Fits(IReadOnlyList<Post> posts)
    {
        if (posts.Count < MinRows) return false;
        var keys = new HashSet<(string, string)>(posts.Count);
        foreach (var post in posts)
            if (!keys.Add((post.Platform, post.PostId))) return false;
        return true;
    }

    public static PostStore.SaveResult Write(PostWriter writer, NpgsqlConnection connection, IReadOnlyList<Post> posts, IReadOnlyList<LabelColumns> labels,
        long? accountId, string? agencyId, DateTimeOffset now, Func<Post, long?>? accountOf)
    {
        var fetchedAt = ToDb(now);
        Execute(connection, """
            CREATE TEMP TABLE IF NOT EXISTS post_batch (ord INTEGER, platform TEXT, post_id TEXT, account_id BIGINT, agency_id TEXT, account TEXT,
                created_at TEXT, url TEXT, text TEXT, is_repost INTEGER, is_reply INTEGER, lang TEXT, raw_json TEXT, edited_at TEXT, fetched_at TEXT,
                labels TEXT, condolence_score DOUBLE PRECISION, memorial_score DOUBLE PRECISION, safety_reminder_score DOUBLE PRECISION,
                evidence TEXT, classifier_version TEXT);
            TRUNCATE post_batch;
            """);
        var accounts = new long?[posts.Count];
        using (var copy = connection.BeginBinaryImport($"COPY post_batch ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < posts.Count; i++)
            {
                var post = posts[i];
                var label = labels[i];
                accounts[i] = accountOf?.Invoke(post) ?? accountId;
                copy.StartRow();
                copy.Write(i, NpgsqlDbType.Integer);
                Text(copy, post.Platform);
                Text(copy, post.PostId);
                if (accounts[i] is { } account) copy.Write(account, NpgsqlDbType.Bigint); else copy.WriteNull();
                Text(copy, post.AgencyId ?? agencyId);
                Text(copy, post.Account);
                Text(copy, ToDb(post.CreatedAt));
                Text(copy, post.Url);
                Text(copy, post.Text);
                copy.Write(post.IsRepost ? 1 : 0, NpgsqlDbType.Integer);
                copy.Write(post.IsReply ? 1 : 0, NpgsqlDbType.Integer);
                Text(copy, post.Lang);
                Text(copy, post.RawJson);
                Text(copy, ToDb(post.EditedAt));
                Text(copy, fetchedAt);
                Text(copy, label.Labels);
                copy.Write(label.Condolence, NpgsqlDbType.Double);
                copy.Write(label.Memorial, NpgsqlDbType.Double);
                copy.Write(label.SafetyReminder, NpgsqlDbType.Double);
                Text(copy, label.Evidence);
                Text(copy, label.ClassifierVersion);
            }
            copy.Complete();
        }

        var order = new Dictionary<(string, string), int>(posts.Count);
        for (var i = 0; i < posts.Count; i++) order[(posts[i].Platform, posts[i].PostId)] = i;
        var added = new List<(long Id, int Index)>();
        using (var insert = new NpgsqlCommand("""
            INSERT INTO posts (platform, post_id, account_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, raw_json, edited_at, fetched_at)
            SELECT platform, post_id, account_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, raw_json, edited_at, fetched_at
            FROM post_batch ORDER BY ord
            ON CONFLICT (platform, post_id) DO NOTHING
            RETURNING id, platform, post_id;
            """, connection))
        using (var reader = insert.ExecuteReader())
            while (reader.Read()) added.Add((reader.GetInt64(0), order[(reader.GetString(1), reader.GetString(2))]));
        added.Sort((a, b) => a.Index.CompareTo(b.Index));
        var newIds = added.Select(a => a.Id).ToArray();

        using (var label = new NpgsqlCommand("""
            INSERT INTO classifications (post_id, labels, condolence_score, memorial_score, safety_reminder_score, evidence, classifier_version, classified_at)
            SELECT p.id, b.labels, b.condolence_score, b.memorial_score, b.safety_reminder_score, b.evidence, b.classifier_version, b.fetched_at
            FROM post_batch b JOIN posts p ON p.platform = b.platform AND p.post_id = b.post_id
            WHERE p.id = ANY(@ids)
            ON CONFLICT (post_id) DO UPDATE SET labels = excluded.labels, condolence_score = excluded.condolence_score, memorial_score = excluded.memorial_score,
                safety_reminder_score = excluded.safety_reminder_score, evidence = excluded.evidence, classifier_version = excluded.classifier_version,
                classified_at = excluded.classified_at;
            """, connection))
        {
            label.Parameters.AddWithValue("ids", newIds);
            label.ExecuteNonQuery();
        }

        var stored = new List<(int Index, long Id, string Text)>();
        if (added.Count < posts.Count)
        {
            using var existing = new NpgsqlCommand("""
                SELECT b.ord, p.id, p.text FROM post_batch b JOIN posts p ON p.platform = b.platform AND p.post_id = b.post_id
                WHERE NOT (p.id = ANY(@ids)) ORDER BY b.ord;
                """, connection);
            existing.Parameters.AddWithValue("ids", newIds);
            using var reader = existing.ExecuteReader();
            while (reader.Read()) stored.Add((reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2)));
        }
        var updated = 0;
        foreach (var (index, id, text) in stored)
        {
            var post = posts[index];
            if (accountOf is not null && accounts[index] is { } linked) writer.Link(linked, post);
            if (text == post.Text) continue;
            writer.TakeEdit(id, text, post, labels[index], now);
            updated++;
        }
        writer.Added.Clear();
        writer.Added.AddRange(added);
        return new PostStore.SaveResult(added.Count, updated);
    }

    private static void Text(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(SqlDialect.PostgresText(value)!, NpgsqlDbType.Text);
    }
}
