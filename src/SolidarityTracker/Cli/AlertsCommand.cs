using SolidarityTracker.Alerts;

namespace SolidarityTracker.Cli;

/// <summary>
/// `alerts [--from DATE] [--to DATE] [--format txt|json]`: the outbox, each alert with how each channel's delivery
/// stands (sent, pending with its last error and next try, failed), then per channel the counts.
/// `alerts test`: a test message to every configured channel, straight away (not through the outbox); exit 1 naming
/// each channel that did not take it.
/// </summary>
public static class AlertsCommand
{
    public static readonly IReadOnlyList<string> Formats = ["txt", "json"];

    public static Command Create(CliApp app)
    {
        var from = CliOptions.Text("--from", "First local date (YYYY-MM-DD, Digest:TimeZone) of the alerts raised.");
        var to = CliOptions.Text("--to", "Last local date (YYYY-MM-DD), included.");
        var format = CliOptions.Text("--format", "txt (default) or json.");
        var command = new Command("alerts", "List the alerts raised (sent, pending and failed, per channel, with the last error); `alerts test` sends a test message to every channel.")
        {
            from, to, format,
        };
        command.SetAction((parse, ct) =>
        {
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", Formats, "txt");
            var zone = app.Settings.TimeZone;
            var (fromUtc, toUtc) = CliOptions.ParseRange(parse.GetValue(from), parse.GetValue(to), zone);
            var alerts = app.Get<AlertLog>().List(fromUtc, toUtc);
            var channels = AlertChannels.Names(app.Settings.Alerts);
            if (chosen == "json") WriteJson(app.Out, alerts, channels, zone);
            else WriteText(app.Out, alerts, channels, zone);
            return Task.FromResult(TrackerCli.Success);
        });
        command.Subcommands.Add(CreateTest(app));
        return command;
    }

    private static Command CreateTest(CliApp app)
    {
        var command = new Command("test", "Send a test message to every configured channel (Alerts:Email, Alerts:Webhooks); exit 1 naming a channel that failed.");
        command.SetAction(async (parse, ct) =>
        {
            var channels = app.Get<AlertChannels>().All;
            if (channels.Count == 0)
                throw new BadInputException("no alert channel is configured: set Alerts:Email:Enabled with Alerts:Email:To, or add Alerts:Webhooks entries");
            var message = TestMessage(app.Get<TimeProvider>().GetUtcNow());
            var failed = new List<string>();
            foreach (var channel in channels)
            {
                try
                {
                    await channel.SendAsync(message, ct);
                    await app.Out.WriteLineAsync($"{channel.Name}: ok");
                }
                catch (AlertDeliveryException ex)
                {
                    failed.Add(channel.Name);
                    await app.Out.WriteLineAsync($"{channel.Name}: failed: {ex.Message}");
                }
            }
            if (failed.Count == 0) return TrackerCli.Success;
            await app.Error.WriteLineAsync($"error: the test message did not reach {string.Join(", ", failed)}");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }

    public static AlertMessage TestMessage(DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now).ToString(),
        Kind = AlertMessage.Test,
        Title = "SolidarityTracker test alert: this channel receives alerts",
        SentAt = TrackerDatabase.ToDb(now),
    };

    /// <summary>What a delivery row says, with a held alert (a watch gathering its cycle's posts) told apart.</summary>
    private static string Status(AlertRecord alert, AlertDeliveryState delivery) =>
        alert.Held && delivery.Status == "pending" ? "held" : delivery.Status;

    private static void WriteText(TextWriter output, IReadOnlyList<AlertRecord> alerts, IReadOnlyList<string> channels, TimeZoneInfo zone)
    {
        foreach (var alert in alerts)
        {
            output.WriteLine($"{LocalDay.Stamp(alert.CreatedAt, zone)}  {alert.Kind}  {alert.Title}");
            output.WriteLine($"  id {alert.Id}{(alert.IncidentId is { } incident ? $", incident {incident}" : "")}");
            if (alert.Deliveries.Count == 0) output.WriteLine("  no channel was configured when it was raised");
            foreach (var d in alert.Deliveries)
            {
                var status = Status(alert, d);
                var detail = status switch
                {
                    "sent" => $"at {LocalDay.Stamp(d.SentAt!.Value, zone)}",
                    "held" => "until its poll cycle ends",
                    "pending" => $"next try {LocalDay.Stamp(d.NextAttemptAt, zone)}",
                    _ => "given up",
                };
                var error = d.LastError is null || status == "sent" ? "" : $"; last error: {d.LastError}";
                output.WriteLine($"  {d.Channel}  {status}  {d.Attempts} {(d.Attempts == 1 ? "attempt" : "attempts")}, {detail}{error}");
            }
        }
        if (alerts.Count > 0) output.WriteLine();
        var rows = Totals(alerts, channels);
        var width = Math.Max("channel".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Channel.Length));
        output.WriteLine($"{"channel".PadRight(width)}  {"sent",6}  {"pending",7}  {"failed",6}");
        foreach (var r in rows) output.WriteLine($"{r.Channel.PadRight(width)}  {r.Sent,6}  {r.Pending,7}  {r.Failed,6}");
        output.WriteLine($"{alerts.Count} {(alerts.Count == 1 ? "alert" : "alerts")}; times in {zone.Id}");
        if (channels.Count == 0) output.WriteLine("no alert channel is configured (Alerts:Email, Alerts:Webhooks)");
    }

    private sealed record ChannelTotal(string Channel, int Sent, int Pending, int Failed);

    /// <summary>Per channel, configured ones first in configuration order, then any that only old rows name.</summary>
    private static List<ChannelTotal> Totals(IReadOnlyList<AlertRecord> alerts, IReadOnlyList<string> channels)
    {
        var deliveries = alerts.SelectMany(a => a.Deliveries).ToList();
        return channels.Concat(deliveries.Select(d => d.Channel).Distinct().Order(StringComparer.Ordinal).Except(channels))
            .Select(c => new ChannelTotal(c,
                deliveries.Count(d => d.Channel == c && d.Status == "sent"),
                deliveries.Count(d => d.Channel == c && d.Status == "pending"),
                deliveries.Count(d => d.Channel == c && d.Status == "failed")))
            .ToList();
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<AlertRecord> alerts, IReadOnlyList<string> channels, TimeZoneInfo zone)
    {
        var document = new
        {
            time_zone = zone.Id,
            alerts = alerts.Select(a => new
            {
                id = a.Id,
                kind = a.Kind,
                title = a.Title,
                incident_id = a.IncidentId,
                created_at = ExportColumns.Timestamp(a.CreatedAt),
                held = a.Held,
                deliveries = a.Deliveries.Select(d => new
                {
                    channel = d.Channel,
                    status = Status(a, d),
                    attempts = d.Attempts,
                    sent_at = d.SentAt is { } sent ? ExportColumns.Timestamp(sent) : null,
                    next_attempt_at = d.Status == "pending" ? ExportColumns.Timestamp(d.NextAttemptAt) : null,
                    last_error = d.LastError,
                }),
            }),
            channels = Totals(alerts, channels).Select(t => new { channel = t.Channel, sent = t.Sent, pending = t.Pending, failed = t.Failed }),
        };
        output.WriteLine(JsonSerializer.Serialize(document, SolidarityTracker.Text.Utf8Json.IndentedSerializerOptions));
    }
}
