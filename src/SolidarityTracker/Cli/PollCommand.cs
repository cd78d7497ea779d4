namespace SolidarityTracker.Cli;

/// <summary>`poll [--account ID]`: one poll cycle, then a summary per platform and every failure.</summary>
public static class PollCommand
{
    public static Command Create(CliApp app)
    {
        var account = CliOptions.Text("--account", "Poll only this account: an agency id, a handle or an account number.");
        var command = new Command("poll", "Poll every enabled account once (or one with --account) and print a summary.") { account };
        command.SetAction(async (parse, ct) =>
        {
            await app.SyncAccountsAsync(ct);
            // A person asked: every enabled account, in back-off or not (the worker keeps its back-off).
            var summary = await app.Get<PollCycle>().RunAsync(parse.GetValue(account), PollScope.EveryEnabled, ct);
            PrintSummary(app.Out, summary, app.Settings.TimeZone);
            return summary.Failures > 0 ? TrackerCli.RuntimeFailure : TrackerCli.Success;
        });
        return command;
    }

    public static void PrintSummary(TextWriter output, PollSummary summary, TimeZoneInfo zone)
    {
        output.WriteLine($"{"platform",-10} {"accounts",8} {"new posts",9} {"failures",8} {"requests",8}");
        foreach (var platform in Platforms.All)
        {
            var rows = summary.Accounts.Where(a => a.Platform == platform).ToList();
            if (rows.Count == 0) continue;
            output.WriteLine($"{platform,-10} {rows.Count,8} {rows.Sum(r => r.NewPosts),9} {rows.Count(r => r.Failed),8} {rows.Sum(r => r.Requests),8}");
        }
        output.WriteLine($"{"total",-10} {summary.Accounts.Count,8} {summary.NewPosts,9} {summary.Failures,8} {summary.Requests,8}   in {(summary.FinishedAt - summary.StartedAt).TotalSeconds:0.0} s");
        foreach (var failed in summary.Accounts.Where(a => a.Failed))
            output.WriteLine($"failed: {failed.AgencyId} {failed.Platform} {failed.Handle}: {failed.ErrorKind}: {failed.Error}");
        foreach (var backedOff in summary.Accounts.Where(a => a.BackedOffUntil is not null))
            output.WriteLine($"had been in back-off (polled all the same; the worker would have waited until {LocalDay.Stamp(backedOff.BackedOffUntil!.Value, zone)}): {backedOff.AgencyId} {backedOff.Platform} {backedOff.Handle}");
        foreach (var wait in summary.Waiting)
            output.WriteLine($"not polled, waiting for the platform's rate-limit reset at {LocalDay.Stamp(wait.Until, zone)}: {wait.Account.AgencyId} {wait.Account.Platform} {wait.Account.Handle}");
    }
}
