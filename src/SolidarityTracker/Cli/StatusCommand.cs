using System.CommandLine;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Cli;

/// <summary>`status`: per account, how its polling stands.</summary>
public static class StatusCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("status", "Per account: platform, last successful poll, last error, consecutive failures, next attempt, posts stored.");
        command.SetAction(async (parse, ct) =>
        {
            await app.SyncAccountsAsync(ct);
            var rows = app.Get<AccountStore>().Statuses();
            var zone = app.Settings.TimeZone;
            string Local(DateTimeOffset? t) => t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-dd HH:mm") : "-";
            app.Out.WriteLine($"{"agency",-24} {"platform",-9} {"account",-36} {"last success",-16} {"fails",5} {"next attempt",-16} {"posts",6}  last error");
            foreach (var row in rows)
            {
                var a = row.Account;
                var error = a.LastErrorKind is null ? "" : $"{a.LastErrorKind}: {a.LastError} ({Local(a.LastErrorAt)})";
                var state = a.Enabled ? "" : " (disabled)";
                app.Out.WriteLine($"{Clip(a.AgencyId, 24),-24} {a.Platform,-9} {Clip(a.Handle, 36),-36} {Local(a.LastSuccessAt),-16} {a.ConsecutiveFailures,5} {((a.NextAttemptAt ?? a.NextCheckAt) is { } next ? Local(next) : "now"),-16} {row.Posts,6}  {error}{state}");
            }
            app.Out.WriteLine($"{rows.Count} accounts, {rows.Count(r => r.Account.ConsecutiveFailures > 0)} failing; times in {zone.Id}");
            return TrackerCli.Success;
        });
        return command;
    }

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
