using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Digests;

/// <summary>
/// Which local days have been mailed (table digests_sent), so a repeated run for the same day does not mail twice.
/// A run claims the day before it sends and gives the claim back when sending fails.
/// </summary>
public sealed class DigestSentStore(TrackerDatabase database)
{
    public sealed record SentDigest(DateOnly Date, string Recipients, DateTimeOffset SentAt);

    public SentDigest? Find(DateOnly date)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT recipients, sent_at FROM digests_sent WHERE local_date = @date;";
        command.Parameters.AddWithValue("@date", Key(date));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new SentDigest(date, reader.GetString(0), FromDb(reader.GetString(1))) : null;
    }

    /// <summary>True when this run may send: no earlier run recorded the day.</summary>
    public async Task<bool> TryClaimAsync(DateOnly date, string recipients, DateTimeOffset now, CancellationToken cancellationToken)
    {
        return await WriteAsync("INSERT INTO digests_sent (local_date, recipients, sent_at) VALUES (@date, @to, @at) ON CONFLICT (local_date) DO NOTHING;",
            date, recipients, now, cancellationToken) == 1;
    }

    public async Task ConfirmAsync(DateOnly date, string recipients, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        await WriteAsync("UPDATE digests_sent SET recipients = @to, sent_at = @at WHERE local_date = @date;", date, recipients, sentAt, cancellationToken);

    public async Task ReleaseAsync(DateOnly date) =>
        await WriteAsync("DELETE FROM digests_sent WHERE local_date = @date;", date, "", default, CancellationToken.None);

    private async Task<int> WriteAsync(string sql, DateOnly date, string recipients, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@date", Key(date));
            command.Parameters.AddWithValue("@to", recipients);
            command.Parameters.AddWithValue("@at", ToDb(at));
            return command.ExecuteNonQuery();
        }
        finally
        {
            database.WriteGate.Release();
        }
    }

    private static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
