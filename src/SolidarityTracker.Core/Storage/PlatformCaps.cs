using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>A usage cap a platform announced (X's UsageCapExceeded), kept until its period ends so a restart does not ask again.</summary>
public sealed class PlatformCaps(TrackerDatabase database)
{
    public async Task SetAsync(string platform, string reason, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO platform_caps (platform, reason, since, until) VALUES (@platform, @reason, @since, @until)
                ON CONFLICT (platform) DO UPDATE SET reason = @reason, until = @until,
                    since = CASE WHEN platform_caps.until > @since THEN platform_caps.since ELSE @since END;
                """;
            command.Parameters.AddWithValue("@platform", platform);
            command.Parameters.AddWithValue("@reason", reason);
            command.Parameters.AddWithValue("@since", ToDb(since));
            command.Parameters.AddWithValue("@until", ToDb(until));
            command.ExecuteNonQuery();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    /// <summary>The platform's cap if it still holds at <paramref name="now"/>.</summary>
    public PlatformCap? Active(string platform, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason, since, until FROM platform_caps WHERE platform = @platform AND until > @now;";
        command.Parameters.AddWithValue("@platform", platform);
        command.Parameters.AddWithValue("@now", ToDb(now));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new PlatformCap(platform, reader.GetString(0), FromDb(reader.GetString(1)), FromDb(reader.GetString(2))) : null;
    }
}
