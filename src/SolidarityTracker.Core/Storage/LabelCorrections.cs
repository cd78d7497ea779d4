using Microsoft.Data.Sqlite;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>
/// A person's correction of a post's labels (the dashboard's form, PUT /api/posts/…/labels). Each one is kept with who
/// and when; the newest becomes the labels of the post's classifications row, which every output reads (digest,
/// export, roundup, alerts), and reclassify writes it back over the classifier's (<see cref="PostWriter"/>).
/// </summary>
public sealed class LabelCorrections(TrackerDatabase database)
{
    /// <summary>Stores a correction; null when no post has this key.</summary>
    public async Task<LabelCorrection?> CorrectAsync(string platform, string postId, IReadOnlyList<string> labels, string by, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var joined = string.Join(';', Labels.All.Where(labels.Contains));
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            long id;
            string previous;
            using (var find = connection.CreateCommand())
            {
                find.Transaction = transaction;
                find.CommandText = "SELECT p.id, c.labels FROM posts p LEFT JOIN classifications c ON c.post_id = p.id WHERE p.platform = @platform AND p.post_id = @post;";
                find.Parameters.AddWithValue("@platform", platform);
                find.Parameters.AddWithValue("@post", postId);
                using var reader = find.ExecuteReader();
                if (!reader.Read()) return null;
                id = reader.GetInt64(0);
                previous = StringOrNull(reader, 1) ?? "";
            }
            using (var write = connection.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = """
                    INSERT INTO label_corrections (post_id, labels, previous_labels, corrected_by, corrected_at) VALUES (@id, @labels, @previous, @by, @now);
                    INSERT INTO classifications (post_id, labels, condolence_score, memorial_score, safety_reminder_score, evidence, classifier_version, classified_at)
                    VALUES (@id, @labels, 0, 0, 0, '[]', 'unclassified', @now)
                    ON CONFLICT (post_id) DO UPDATE SET labels = @labels;
                    """;
                write.Parameters.AddWithValue("@id", id);
                write.Parameters.AddWithValue("@labels", joined);
                write.Parameters.AddWithValue("@previous", previous);
                write.Parameters.AddWithValue("@by", by);
                write.Parameters.AddWithValue("@now", ToDb(now));
                write.ExecuteNonQuery();
            }
            transaction.Commit();
            return new LabelCorrection(Split(joined), Split(previous), by, now);
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>The corrections of one stored post, newest first.</summary>
    internal static IReadOnlyList<LabelCorrection> For(DbConnection connection, long postId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT labels, previous_labels, corrected_by, corrected_at FROM label_corrections WHERE post_id = @id ORDER BY id DESC;";
        command.Parameters.AddWithValue("@id", postId);
        var list = new List<LabelCorrection>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(new LabelCorrection(Split(reader.GetString(0)), Split(reader.GetString(1)), reader.GetString(2), FromDb(reader.GetString(3))));
        return list;
    }

    /// <summary>Every corrected post with its newest correction, in the order they were first corrected: what `corrections` prints for `eval`.</summary>
    public async IAsyncEnumerable<CorrectedPost> AllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.platform, p.post_id, p.text, c.labels, c.corrected_by, c.corrected_at
            FROM label_corrections c JOIN posts p ON p.id = c.post_id
            WHERE c.id = (SELECT MAX(n.id) FROM label_corrections n WHERE n.post_id = c.post_id)
            ORDER BY (SELECT MIN(f.id) FROM label_corrections f WHERE f.post_id = c.post_id);
            """;
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new CorrectedPost(reader.GetString(0), reader.GetString(1), reader.GetString(2), Split(reader.GetString(3)), reader.GetString(4), FromDb(reader.GetString(5)));
    }

    /// <summary>The labels of a post's newest correction, if it has one, put back over what a classifier just wrote.</summary>
    internal const string ReapplySql = """
        UPDATE classifications SET labels = (SELECT c.labels FROM label_corrections c WHERE c.post_id = @id ORDER BY c.id DESC LIMIT 1)
        WHERE post_id = @id AND EXISTS (SELECT 1 FROM label_corrections c WHERE c.post_id = @id);
        """;

    private static IReadOnlyList<string> Split(string labels) => labels.Split(';', StringSplitOptions.RemoveEmptyEntries);
}
