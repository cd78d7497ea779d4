using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Alerts;

/// <summary>Reads the outbox for `alerts` and the dashboard.</summary>
public sealed class AlertLog(TrackerDatabase database)
{
    /// <summary>Alerts raised in [fromUtc, toUtc), oldest first, with their deliveries.</summary>
    public IReadOnlyList<AlertRecord> List(DateTimeOffset? fromUtc = null, DateTimeOffset? toUtc = null)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.id, a.kind, a.title, a.incident_id, a.created_at, a.held,
                   d.channel, d.status, d.attempts, d.sent_at, d.next_attempt_at, d.last_error
            FROM alerts a LEFT JOIN alert_deliveries d ON d.alert_id = a.id
            WHERE (CAST(@from AS TEXT) IS NULL OR a.created_at >= @from) AND (CAST(@to AS TEXT) IS NULL OR a.created_at < @to)
            ORDER BY a.created_at, a.id, d.channel;
            """;
        command.Parameters.AddWithValue("@from", (object?)ToDb(fromUtc) ?? DBNull.Value);
        command.Parameters.AddWithValue("@to", (object?)ToDb(toUtc) ?? DBNull.Value);
        var alerts = new List<AlertRecord>();
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            var id = r.GetString(0);
            if (alerts.Count == 0 || alerts[^1].Id != id)
                alerts.Add(new AlertRecord(id, r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), FromDb(r.GetString(4)), r.GetInt32(5) == 1, new List<AlertDeliveryState>()));
            if (r.IsDBNull(6)) continue;
            ((List<AlertDeliveryState>)alerts[^1].Deliveries).Add(new AlertDeliveryState(
                r.GetString(6), r.GetString(7), r.GetInt32(8), FromDbNullable(r, 9), FromDb(r.GetString(10)), StringOrNull(r, 11)));
        }
        return alerts;
    }
}
