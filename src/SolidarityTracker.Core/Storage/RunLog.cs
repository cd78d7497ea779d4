using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>What the worker has done: poll cycles with their counts, and which local days' digests were rendered.</summary>
public sealed class RunLog(TrackerDatabase database)
{
    public async Task RecordPollAsync(DateTimeOffset started, DateTimeOffset finished, int accounts, int newPosts, int failures, int requests, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO poll_runs (started_at, finished_at, accounts, new_posts, failures, requests)
                VALUES ($started, $finished, $accounts, $new, $failures, $requests);
                """;
            command.Parameters.AddWithValue("$started", ToDb(started));
            command.Parameters.AddWithValue("$finished", ToDb(finished));
            command.Parameters.AddWithValue("$accounts", accounts);
            command.Parameters.AddWithValue("$new", newPosts);
            command.Parameters.AddWithValue("$failures", failures);
            command.Parameters.AddWithValue("$requests", requests);
            command.ExecuteNonQuery();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    public async Task RecordDigestAsync(DateOnly localDate, DateTimeOffset renderedAt, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO digest_runs (local_date, rendered_at) VALUES ($date, $at)
                ON CONFLICT (local_date) DO UPDATE SET rendered_at = $at;
                """;
            command.Parameters.AddWithValue("$date", localDate.ToString("yyyy-MM-dd"));
            command.Parameters.AddWithValue("$at", ToDb(renderedAt));
            command.ExecuteNonQuery();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    public bool DigestRendered(DateOnly localDate)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM digest_runs WHERE local_date = $date;";
        command.Parameters.AddWithValue("$date", localDate.ToString("yyyy-MM-dd"));
        return (long)command.ExecuteScalar()! > 0;
    }

    public long PollRuns()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM poll_runs;";
        return (long)command.ExecuteScalar()!;
    }
}
