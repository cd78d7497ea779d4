using SolidarityTracker.Sources.X;

namespace SolidarityTracker.Cli;

/// <summary>
/// `status [--format txt|json]`: per account, how its polling stands (handles and URLs whole, never cut; times with
/// their zone), then per platform the requests made and posts read today and this month.
/// </summary>
public static class StatusCommand
{
    public static readonly IReadOnlyList<string> Formats = ["txt", "json"];

    public static Command Create(CliApp app)
    {
        var format = CliOptions.Text("--format", "txt (default: a table) or json.");
        var command = new Command("status",
            "Per account: agency, platform, the full handle or URL, last successful poll, last error, consecutive failures, next check and posts stored; " +
            "then per platform the requests and posts read today and this month. Times are in Digest:TimeZone with their offset.")
        { format };
        command.SetAction(async (parse, ct) =>
        {
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", Formats, "txt");
            await app.SyncAccountsAsync(ct);
            var rows = app.Get<AccountStore>().Statuses();
            var zone = app.Settings.TimeZone;
            var now = app.Get<TimeProvider>().GetUtcNow();
            var usage = app.Get<RunLog>().UsageToDate(LocalDay.Of(now, zone));
            var x = XSpend.Of(usage, app.Get<PlatformCaps>().Active(Platforms.X, now), app.Settings.Sources.X.MonthlyPostReads, now, zone);
            var stream = StreamState.Of(app.Settings.Sources.Bluesky.Jetstream, app.Get<AccountStore>().StreamCursor(Sources.Bluesky.JetstreamStream.CursorName));
            if (chosen == "json") WriteJson(app.Out, rows, usage, x, zone, now, stream);
            else WriteText(app.Out, rows, usage, x, zone, stream);
            return TrackerCli.Success;
        });
        return command;
    }

    /// <summary>
    /// How the account stands in one word: disabled, new (never polled), ok, failing, or what the platform says became of
    /// it (suspended, deleted, deactivated: asked again about once a day).
    /// </summary>
    public static string State(AccountState a) =>
        !a.Enabled ? "disabled" : a.Gone ?? (a.ConsecutiveFailures > 0 ? "failing" : a.LastSuccessAt is null ? "new" : "ok");

    /// <summary>The configured handle, and the one the platform gives a renamed account now.</summary>
    private static string Shown(AccountState a) => a.Handle + (a.CurrentHandle is { } now ? $" (now {now})" : "");

    /// <summary>When the account is next asked: its back-off or its schedule; null when it is due now.</summary>
    private static DateTimeOffset? NextCheck(AccountState account) => account.NextAttemptAt ?? account.NextCheckAt;

    private static void WriteText(TextWriter output, IReadOnlyList<AccountStatus> rows, IReadOnlyList<PlatformUsageToDate> usage, XSpend x, TimeZoneInfo zone, StreamState stream)
    {
        string Local(DateTimeOffset? t) => t is { } v ? LocalDay.Stamp(v, zone) : "-";
        var table = new List<string[]> { new[] { "agency", "platform", "account", "state", "last success", "fails", "next check", "posts", "last error" } };
        foreach (var row in rows)
        {
            var a = row.Account;
            var error = a.LastErrorKind is null ? "" : $"{a.LastErrorKind}: {a.LastError} (at {Local(a.LastErrorAt)})";
            table.Add([a.AgencyId, a.Platform, Shown(a), State(a), Local(a.LastSuccessAt), a.ConsecutiveFailures.ToString(),
                NextCheck(a) is { } next ? Local(next) : "now", row.Posts.ToString(), error]);
        }
        WriteTable(output, table, numeric: [5, 7]);
        var gone = rows.Count(r => r.Account.Gone is not null);
        output.WriteLine($"{rows.Count} accounts, {rows.Count(r => r.Account.ConsecutiveFailures > 0)} failing{(gone > 0 ? $" ({gone} suspended, deleted or deactivated: asked again about once a day)" : "")}; times in {zone.Id}");
        output.WriteLine();

        var platforms = new List<string[]> { new[] { "platform", "requests today", "posts read today", "requests this month", "posts read this month" } };
        foreach (var platform in Platforms.All.Where(p => rows.Any(r => r.Account.Platform == p) || usage.Any(u => u.Platform == p)))
        {
            var u = usage.FirstOrDefault(x => x.Platform == platform);
            platforms.Add([platform, $"{u?.Today.Requests ?? 0:N0}", $"{u?.Today.PostsRead ?? 0:N0}", $"{u?.ThisMonth.Requests ?? 0:N0}", $"{u?.ThisMonth.PostsRead ?? 0:N0}"]);
        }
        WriteTable(output, platforms, numeric: [1, 2, 3, 4]);
        var budget = x.MonthlyPostReads is { } b ? $"budget {b:N0} (Sources:X:MonthlyPostReads), {x.PostsReadThisMonth * 100.0 / b:0.#} % used" : "no monthly budget (Sources:X:MonthlyPostReads unset)";
        output.WriteLine($"X posts read this month: {x.PostsReadThisMonth:N0}; {budget}; month-end projection {x.Projection:N0}");
        if (x.Cap is { } cap)
            output.WriteLine($"X usage cap reached: {cap.Reason}, since {Local(cap.Since)}; no X request until {Local(cap.Until)}");
        if (stream.Url is not null)
            output.WriteLine(stream.CursorAt is { } at
                ? $"Bluesky Jetstream {stream.Url}: last stored event at {Local(at)} (time_us {stream.TimeUs}); `run` resumes 5 s before it"
                : $"Bluesky Jetstream {stream.Url}: no event stored yet");
    }

    /// <summary>Columns as wide as their widest cell, so nothing is ever cut; the last column is left ragged.</summary>
    private static void WriteTable(TextWriter output, List<string[]> table, int[] numeric)
    {
        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (var row in table)
        {
            var cells = row.Select((cell, c) => c == row.Length - 1 ? cell : numeric.Contains(c) ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<AccountStatus> rows, IReadOnlyList<PlatformUsageToDate> usage, XSpend x, TimeZoneInfo zone, DateTimeOffset now, StreamState stream)
    {
        string? Local(DateTimeOffset? t) => t is { } v ? LocalDay.ToLocal(v, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) : null;
        var document = new
        {
            time_zone = zone.Id,
            generated_at = Local(now),
            accounts = rows.Select(r => new
            {
                agency_id = r.Account.AgencyId,
                agency_name = r.AgencyName,
                platform = r.Account.Platform,
                account = r.Account.Handle,
                current_handle = r.Account.CurrentHandle,
                enabled = r.Account.Enabled,
                state = State(r.Account),
                last_success_at = Local(r.Account.LastSuccessAt),
                last_error_kind = r.Account.LastErrorKind,
                last_error = r.Account.LastError,
                last_error_at = Local(r.Account.LastErrorAt),
                consecutive_failures = r.Account.ConsecutiveFailures,
                next_check_at = Local(NextCheck(r.Account)),
                posts = r.Posts,
            }),
            platforms = Platforms.All.Where(p => rows.Any(r => r.Account.Platform == p) || usage.Any(u => u.Platform == p)).Select(p =>
            {
                var u = usage.FirstOrDefault(x => x.Platform == p);
                return new
                {
                    platform = p,
                    requests_today = u?.Today.Requests ?? 0,
                    posts_read_today = u?.Today.PostsRead ?? 0,
                    requests_this_month = u?.ThisMonth.Requests ?? 0,
                    posts_read_this_month = u?.ThisMonth.PostsRead ?? 0,
                };
            }),
            x = new
            {
                monthly_post_reads = x.MonthlyPostReads,
                posts_read_this_month = x.PostsReadThisMonth,
                projection = x.Projection,
                usage_cap = x.Cap is { } cap ? new { reason = cap.Reason, since = Local(cap.Since), until = Local(cap.Until) } : null,
            },
            bluesky_jetstream = stream.Url is null ? null : new { url = stream.Url, cursor_time_us = stream.TimeUs, cursor_at = Local(stream.CursorAt) },
        };
        output.WriteLine(JsonSerializer.Serialize(document, SolidarityTracker.Text.Utf8Json.IndentedSerializerOptions));
    }

    /// <summary>Sources:Bluesky:Jetstream when set, and the stored cursor: the time_us of the last event the stream stored.</summary>
    private sealed record StreamState(string? Url, long? TimeUs)
    {
        public DateTimeOffset? CursorAt => TimeUs is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t / 1000) : null;

        public static StreamState Of(string? url, string? cursor) =>
            new(string.IsNullOrWhiteSpace(url) ? null : url, long.TryParse(cursor, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null);
    }

    /// <summary>What X costs this month: posts read, the budget, the month-end projection at this pace, and a usage cap while it holds.</summary>
    private sealed record XSpend(long? MonthlyPostReads, long PostsReadThisMonth, long Projection, PlatformCap? Cap)
    {
        public static XSpend Of(IReadOnlyList<PlatformUsageToDate> usage, PlatformCap? cap, long? budget, DateTimeOffset now, TimeZoneInfo zone)
        {
            var read = usage.FirstOrDefault(u => u.Platform == Platforms.X)?.ThisMonth.PostsRead ?? 0;
            return new XSpend(budget, read, XReadBudget.Projection(read, now, zone), cap);
        }
    }
}
