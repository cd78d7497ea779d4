using System.Globalization;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>
/// What each platform has cost: requests and posts read per UTC day (X bills per post read, by calendar month here),
/// and a usage cap a platform announced, until its period ends.
/// </summary>
public sealed class UsageStore(TrackerDatabase database)
{
    /// <summary>Adds one cycle's requests and posts read, per platform, to the day of <paramref name="at"/>.</summary>
    public async Task AddAsync(DateTimeOffset at, IEnumerable<PlatformSpend> spends, CancellationToken cancellationToken = default)
    {
        var rows = spends.Where(s => s.Requests > 0 || s.PostsRead > 0).ToList();
        if (rows.Count == 0) return;
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var transaction = connection.BeginTransaction();
            foreach (var row in rows)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO platform_usage (platform, day, requests, posts_read) VALUES ($platform, $day, $requests, $read)
                    ON CONFLICT (platform, day) DO UPDATE SET requests = requests + $requests, posts_read = posts_read + $read;
                    """;
                command.Parameters.AddWithValue("$platform", row.Platform);
                command.Parameters.AddWithValue("$day", Day(at));
                command.Parameters.AddWithValue("$requests", row.Requests);
                command.Parameters.AddWithValue("$read", row.PostsRead);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>Per platform with any use this month: requests and posts read today and this month (UTC).</summary>
    public IReadOnlyList<PlatformUsage> Totals(DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT platform,
                   SUM(CASE WHEN day = $today THEN requests ELSE 0 END), SUM(CASE WHEN day = $today THEN posts_read ELSE 0 END),
                   SUM(requests), SUM(posts_read)
            FROM platform_usage WHERE day >= $month GROUP BY platform ORDER BY platform;
            """;
        command.Parameters.AddWithValue("$today", Day(now));
        command.Parameters.AddWithValue("$month", Day(MonthStart(now)));
        var list = new List<PlatformUsage>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            list.Add(new PlatformUsage(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        return list;
    }

    public long PostsReadThisMonth(string platform, DateTimeOffset now) =>
        Totals(now).FirstOrDefault(t => t.Platform == platform)?.PostsReadMonth ?? 0;

    public async Task SetCapAsync(string platform, string reason, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO platform_caps (platform, reason, since, until) VALUES ($platform, $reason, $since, $until)
                ON CONFLICT (platform) DO UPDATE SET reason = $reason, until = $until,
                    since = CASE WHEN platform_caps.until > $since THEN platform_caps.since ELSE $since END;
                """;
            command.Parameters.AddWithValue("$platform", platform);
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$since", ToDb(since));
            command.Parameters.AddWithValue("$until", ToDb(until));
            command.ExecuteNonQuery();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>The platform's cap if it still holds at <paramref name="now"/>.</summary>
    public PlatformCap? ActiveCap(string platform, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason, since, until FROM platform_caps WHERE platform = $platform AND until > $now;";
        command.Parameters.AddWithValue("$platform", platform);
        command.Parameters.AddWithValue("$now", ToDb(now));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new PlatformCap(platform, reader.GetString(0), FromDb(reader.GetString(1)), FromDb(reader.GetString(2))) : null;
    }

    public static DateTimeOffset MonthStart(DateTimeOffset now) => new(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record PlatformSpend(string Platform, int Requests, int PostsRead);

public sealed record PlatformUsage(string Platform, long RequestsToday, long PostsReadToday, long RequestsMonth, long PostsReadMonth);

public sealed record PlatformCap(string Platform, string Reason, DateTimeOffset Since, DateTimeOffset Until);
