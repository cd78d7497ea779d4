using System.CommandLine;
using System.Text.Json;
using SolidarityTracker.Model;
using SolidarityTracker.Sources.X;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Cli;

/// <summary>`status [--format txt|json]`: per account, how its polling stands; then per platform what it cost today and this month.</summary>
public static class StatusCommand
{
    private static readonly string[] Formats = ["txt", "json"];

    public static Command Create(CliApp app)
    {
        var format = CliOptions.Text("--format", "txt (default) or json.");
        var command = new Command("status", "Per account: platform, last successful poll, last error, consecutive failures, next check, posts stored; per platform: requests and posts read today and this month.") { format };
        command.SetAction(async (parse, ct) =>
        {
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", Formats, "txt");
            await app.SyncAccountsAsync(ct);
            var rows = app.Get<AccountStore>().Statuses();
            var now = app.Get<TimeProvider>().GetUtcNow();
            var usage = app.Get<UsageStore>();
            var spend = Spend.Of(usage.Totals(now), usage.ActiveCap(Platforms.X, now), app.Settings.Sources.X.MonthlyPostReads, now);
            if (chosen == "json") WriteJson(app.Out, rows, spend);
            else WriteText(app, rows, spend);
            return TrackerCli.Success;
        });
        return command;
    }

    private static void WriteText(CliApp app, IReadOnlyList<AccountStatus> rows, Spend spend)
    {
        var zone = app.Settings.TimeZone;
        string Local(DateTimeOffset? t) => t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-dd HH:mm") : "-";
        app.Out.WriteLine($"{"agency",-24} {"platform",-9} {"account",-36} {"last success",-16} {"fails",5} {"next check",-16} {"posts",6}  last error");
        foreach (var row in rows)
        {
            var a = row.Account;
            var error = a.LastErrorKind is null ? "" : $"{a.LastErrorKind}: {a.LastError} ({Local(a.LastErrorAt)})";
            var state = a.Enabled ? "" : " (disabled)";
            app.Out.WriteLine($"{Clip(a.AgencyId, 24),-24} {a.Platform,-9} {Clip(a.Handle, 36),-36} {Local(a.LastSuccessAt),-16} {a.ConsecutiveFailures,5} {(NextCheck(a) is { } next ? Local(next) : "now"),-16} {row.Posts,6}  {error}{state}");
        }
        app.Out.WriteLine($"{rows.Count} accounts, {rows.Count(r => r.Account.ConsecutiveFailures > 0)} failing; times in {zone.Id}");
        app.Out.WriteLine();
        app.Out.WriteLine($"{"platform",-9} {"requests today",14} {"posts read today",16} {"requests month",14} {"posts read month",16}");
        foreach (var p in spend.Platforms)
            app.Out.WriteLine($"{p.Platform,-9} {p.RequestsToday,14:N0} {p.PostsReadToday,16:N0} {p.RequestsMonth,14:N0} {p.PostsReadMonth,16:N0}");
        if (spend.Platforms.Count == 0) app.Out.WriteLine("(nothing polled this month)");
        var budget = spend.MonthlyPostReads is { } b ? $"budget {b:N0} (Sources:X:MonthlyPostReads), {spend.XReadMonth * 100.0 / b:0.#} % used" : "no monthly budget (Sources:X:MonthlyPostReads unset)";
        app.Out.WriteLine($"X posts read this month (UTC): {spend.XReadMonth:N0}; {budget}; month-end projection {spend.XProjection:N0}");
        if (spend.Cap is { } cap)
            app.Out.WriteLine($"X usage cap reached: {cap.Reason}, since {Local(cap.Since)}; no X request until {Local(cap.Until)}");
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<AccountStatus> rows, Spend spend)
    {
        var document = new
        {
            accounts = rows.Select(r => new
            {
                agency_id = r.Account.AgencyId,
                agency_name = r.AgencyName,
                platform = r.Account.Platform,
                account = r.Account.Handle,
                enabled = r.Account.Enabled,
                last_success_at = r.Account.LastSuccessAt?.UtcDateTime,
                last_error_kind = r.Account.LastErrorKind,
                last_error = r.Account.LastError,
                last_error_at = r.Account.LastErrorAt?.UtcDateTime,
                consecutive_failures = r.Account.ConsecutiveFailures,
                next_check_at = NextCheck(r.Account)?.UtcDateTime,
                posts = r.Posts,
            }),
            platforms = spend.Platforms.Select(p => new
            {
                platform = p.Platform,
                requests_today = p.RequestsToday,
                posts_read_today = p.PostsReadToday,
                requests_month = p.RequestsMonth,
                posts_read_month = p.PostsReadMonth,
            }),
            x = new
            {
                monthly_post_reads = spend.MonthlyPostReads,
                posts_read_month = spend.XReadMonth,
                projection = spend.XProjection,
                usage_cap = spend.Cap is { } cap ? new { reason = cap.Reason, since = cap.Since.UtcDateTime, until = cap.Until.UtcDateTime } : null,
            },
        };
        output.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A failing account's back-off, else its schedule's next check.</summary>
    private static DateTimeOffset? NextCheck(AccountState account) => account.NextAttemptAt ?? account.NextCheckAt;

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private sealed record Spend(IReadOnlyList<PlatformUsage> Platforms, long? MonthlyPostReads, long XReadMonth, long XProjection, PlatformCap? Cap)
    {
        public static Spend Of(IReadOnlyList<PlatformUsage> usage, PlatformCap? cap, long? budget, DateTimeOffset now)
        {
            var read = usage.FirstOrDefault(u => u.Platform == Model.Platforms.X)?.PostsReadMonth ?? 0;
            return new Spend(usage, budget, read, XReadBudget.Projection(read, now), cap);
        }
    }
}
