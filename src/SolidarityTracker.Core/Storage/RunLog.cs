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
                VALUES (@started, @finished, @accounts, @new, @failures, @requests);
                """;
            command.Parameters.AddWithValue("@started", ToDb(started));
            command.Parameters.AddWithValue("@finished", ToDb(finished));
            command.Parameters.AddWithValue("@accounts", accounts);
            command.Parameters.AddWithValue("@new", newPosts);
            command.Parameters.AddWithValue("@failures", failures);
            command.Parameters.AddWithValue("@requests", requests);
            command.ExecuteNonQuery();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>Adds a cycle's requests and posts read to each platform's count for the local day.</summary>
    public async Task RecordUsageAsync(DateOnly localDate, IEnumerable<PlatformUsage> usage, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            foreach (var platform in usage)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO platform_usage (platform, local_date, requests, posts_read) VALUES (@platform, @date, @requests, @posts)
                    ON CONFLICT (platform, local_date) DO UPDATE SET requests = requests + @requests, posts_read = posts_read + @posts;
                    """;
                command.Parameters.AddWithValue("@platform", platform.Platform);
                command.Parameters.AddWithValue("@date", localDate.ToString("yyyy-MM-dd"));
                command.Parameters.AddWithValue("@requests", platform.Requests);
                command.Parameters.AddWithValue("@posts", platform.PostsRead);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>Per platform, the requests and posts read on <paramref name="today"/> and from the first of its month to it.</summary>
    public IReadOnlyList<PlatformUsageToDate> UsageToDate(DateOnly today)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT platform,
                   SUM(CASE WHEN local_date = @today THEN requests ELSE 0 END), SUM(CASE WHEN local_date = @today THEN posts_read ELSE 0 END),
                   SUM(requests), SUM(posts_read)
            FROM platform_usage WHERE local_date >= @month AND local_date <= @today GROUP BY platform ORDER BY platform;
            """;
        command.Parameters.AddWithValue("@today", today.ToString("yyyy-MM-dd"));
        command.Parameters.AddWithValue("@month", new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd"));
        var list = new List<PlatformUsageToDate>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            list.Add(new PlatformUsageToDate(reader.GetString(0), new PlatformUsage(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), new PlatformUsage(reader.GetString(0), reader.GetInt64(3), reader.GetInt64(4))));
        return list;
    }

    public async Task RecordDigestAsync(DateOnly localDate, DateTimeOffset renderedAt, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO digest_runs (local_date, rendered_at) VALUES (@date, @at)
                ON CONFLICT (local_date) DO UPDATE SET rendered_at = @at;
                """;
            command.Parameters.AddWithValue("@date", localDate.ToString("yyyy-MM-dd"));
            command.Parameters.AddWithValue("@at", ToDb(renderedAt));
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
        command.CommandText = "SELECT COUNT(*) FROM digest_runs WHERE local_date = @date;";
        command.Parameters.AddWithValue("@date", localDate.ToString("yyyy-MM-dd"));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    public long PollRuns()
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM poll_runs;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
