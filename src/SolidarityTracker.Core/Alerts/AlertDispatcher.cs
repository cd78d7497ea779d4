using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Alerts;

/// <summary>
/// Sends the outbox: each due delivery row (one per alert and channel) is claimed for a lease, sent, and marked sent;
/// a failure is recorded on the row and tried again with back-off. A process killed after sending and before marking
/// leaves the row claimed: when the lease lapses it is sent again, with the same Idempotency-Key. Nothing is marked
/// sent that was not, so nothing is lost.
/// </summary>
public sealed class AlertDispatcher
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(15);
    /// <summary>After this long a delivery stops being tried (status failed); `alerts` shows it.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(2);
    /// <summary>How often the continuous loop looks for retries that came due.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private const int Batch = 64;
    private const int Parallel = 8;

    private readonly TrackerDatabase _database;
    private readonly AlertChannels _channels;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly TimeSpan _lease;
    private readonly object _gate = new();
    private Task<DispatchResult> _pass = Task.FromResult(new DispatchResult(0, 0));
    private bool _again;

    public AlertDispatcher(TrackerDatabase database, AlertChannels channels, AlertOutbox outbox, TrackerSettings settings, TimeProvider time, ILogger<AlertDispatcher> logger)
    {
        _database = database;
        _channels = channels;
        _time = time;
        _logger = logger;
        // A send outlives neither its timeout nor this: twice the timeout is enough for a claim to be a live one.
        _lease = settings.Alerts.SendTimeout * 2;
        outbox.Written += Wake;
    }

    public sealed record DispatchResult(int Sent, int Failed);

    /// <summary>
    /// Starts a pass in the background now, unless one is running, which then runs once more when it is done. Every
    /// pass goes through here (a commit's wake, the worker's loop, a cycle's drain), so one pass runs at a time and
    /// whoever waits for the current one knows that nothing was left behind a pass still in flight.
    /// </summary>
    private Task<DispatchResult> Pass()
    {
        lock (_gate)
        {
            if (_pass.IsCompleted) _pass = Task.Run(PassesAsync);
            else _again = true;
            return _pass;
        }
    }

    /// <summary>Starts a pass in the background now (after a commit that wrote alerts).</summary>
    public void Wake() => Pass();

    private async Task<DispatchResult> PassesAsync()
    {
        int sent = 0, failed = 0;
        while (true)
        {
            try
            {
                // Not cancelled: a send that started is finished and marked, whoever stopped waiting for it.
                var result = await DispatchPendingAsync(CancellationToken.None);
                sent += result.Sent;
                failed += result.Failed;
            }
            catch (Exception ex) when (ex is DbException or Storage.Postgres.StoreUnavailableException or IOException)
            {
                _logger.LogError("Alert dispatch failed: {Error}", ex.Message);
            }
            lock (_gate)
            {
                if (!_again) return new DispatchResult(sent, failed);
                _again = false;
            }
        }
    }

    /// <summary>
    /// Sends whatever is due and waits until no pass is left running: `poll`, `run --once` and every worker cycle end
    /// with this, so the cycle's alerts have left (or failed and wait for their retry) when it ends.
    /// </summary>
    public Task<DispatchResult> DrainAsync(CancellationToken cancellationToken = default) => Pass().WaitAsync(cancellationToken);

    /// <summary>The worker's loop: a pass every few seconds for retries that came due (commits wake a pass of their own).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Pass().WaitAsync(cancellationToken);
                await Task.Delay(Idle, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Sends every delivery that is due, batch by batch, until none is left.</summary>
    public async Task<DispatchResult> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        int sent = 0, failed = 0;
        while (true)
        {
            var claimed = await ClaimAsync(cancellationToken);
            if (claimed.Count == 0) return new DispatchResult(sent, failed);
            await System.Threading.Tasks.Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (delivery, ct) =>
            {
                var error = await SendAsync(delivery, ct);
                await MarkAsync(delivery, error);
                if (error is null) Interlocked.Increment(ref sent); else Interlocked.Increment(ref failed);
            });
        }
    }

    private sealed record Delivery(string AlertId, string Channel, int Attempts, DateTimeOffset CreatedAt, string Body);

    private async Task<List<Delivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            using var connection = _database.Open();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                UPDATE alert_deliveries SET claimed_until = @lease
                WHERE (alert_id, channel) IN (
                    SELECT d.alert_id, d.channel FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
                    WHERE d.status = 'pending' AND a.held = 0 AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
                    ORDER BY d.next_attempt_at LIMIT {Batch}{(SqlDialect.IsPostgres(connection) ? " FOR UPDATE OF d SKIP LOCKED" : "")})
                RETURNING alert_id, channel, attempts;
                """;
            command.Parameters.AddWithValue("@now", ToDb(now));
            command.Parameters.AddWithValue("@lease", ToDb(now + _lease));
            var rows = new List<(string Alert, string Channel, int Attempts)>();
            using (var r = command.ExecuteReader())
                while (r.Read()) rows.Add((r.GetString(0), r.GetString(1), r.GetInt32(2)));
            var list = new List<Delivery>(rows.Count);
            using var body = connection.CreateCommand();
            body.Transaction = transaction;
            body.CommandText = "SELECT body, created_at FROM alerts WHERE id = @id;";
            var id = body.Parameters.Add("@id", DbType.String);
            foreach (var row in rows)
            {
                id.Value = row.Alert;
                using var r = body.ExecuteReader();
                if (r.Read()) list.Add(new Delivery(row.Alert, row.Channel, row.Attempts, FromDb(r.GetString(1)), r.GetString(0)));
            }
            transaction.Commit();
            return list;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    /// <summary>Null when sent; else why not.</summary>
    private async Task<string?> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var channel = _channels.Find(delivery.Channel);
        if (channel is null) return $"channel {delivery.Channel} is no longer configured";
        try
        {
            await channel.SendAsync(AlertMessage.FromJson(delivery.Body), cancellationToken);
            return null;
        }
        catch (AlertDeliveryException ex)
        {
            _logger.LogWarning("Alert {Alert} to {Channel} failed (attempt {Attempt}): {Error}", delivery.AlertId, delivery.Channel, delivery.Attempts + 1, ex.Message);
            return ex.Message;
        }
        catch (BadInputException ex)
        {
            // A broken template override: the row waits, retried, until it is fixed.
            _logger.LogError("Alert {Alert} to {Channel}: {Error}", delivery.AlertId, delivery.Channel, ex.Message);
            return ex.Message;
        }
    }

    private async Task MarkAsync(Delivery delivery, string? error)
    {
        var now = _time.GetUtcNow();
        // Not cancelled: a send that happened is marked even while the host stops.
        await _database.WriteGate.WaitAsync(CancellationToken.None);
        try
        {
            using var connection = _database.Open();
            using var command = connection.CreateCommand();
            if (error is null)
            {
                command.CommandText = """
                    UPDATE alert_deliveries SET status = 'sent', sent_at = @now, attempts = attempts + 1, claimed_until = NULL, last_error = NULL
                    WHERE alert_id = @id AND channel = @channel;
                    """;
            }
            else
            {
                var giveUp = now - delivery.CreatedAt >= GiveUpAfter;
                command.CommandText = $"""
                    UPDATE alert_deliveries SET status = '{(giveUp ? "failed" : "pending")}', attempts = attempts + 1, claimed_until = NULL,
                        last_error = @error, next_attempt_at = @next
                    WHERE alert_id = @id AND channel = @channel;
                    """;
                command.Parameters.AddWithValue("@error", error);
                command.Parameters.AddWithValue("@next", ToDb(now + Backoff(delivery.Attempts + 1)));
            }
            command.Parameters.AddWithValue("@id", delivery.AlertId);
            command.Parameters.AddWithValue("@channel", delivery.Channel);
            command.Parameters.AddWithValue("@now", ToDb(now));
            command.ExecuteNonQuery();
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    /// <summary>15 s, 30 s, 1 min … at most 15 minutes between tries.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(FirstRetry.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 20)), MaxRetry.TotalSeconds));
}
