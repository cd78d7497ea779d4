namespace SolidarityTracker.Cli;

/// <summary>`digest [--date YYYY-MM-DD] [--format html|md|txt] [--out DIR] [--send]`.</summary>
public static class DigestCommand
{
    public static Command Create(CliApp app)
    {
        var date = CliOptions.Text("--date", "The local date in Digest:TimeZone (default: yesterday).");
        var format = CliOptions.Text("--format", "html, md or txt (default: every format of Digest:Formats).");
        var output = CliOptions.Text("--out", "Folder for the files (default: Digest:OutputDirectory, made when missing); it must exist unless --mkdir.");
        var mkdir = CliOptions.Mkdir();
        var send = CliOptions.Flag("--send", "Also mail the digest as Digest:Email configures.");
        var command = new Command("digest", "Render the digest of a local date to files, and mail it with --send.") { date, format, output, mkdir, send };
        command.SetAction(async (parse, ct) =>
        {
            var settings = app.Settings;
            var folder = parse.GetValue(output) is { } o ? OutputPath.CheckFolder(o, "--out", parse.GetValue(mkdir)) : null;
            var day = CliOptions.ParseDate(parse.GetValue(date), "--date")
                ?? LocalDay.Of(app.Get<TimeProvider>().GetUtcNow(), settings.TimeZone).AddDays(-1);
            IReadOnlyList<string>? formats = parse.GetValue(format) is { } f ? [CliOptions.ParseChoice(f, "--format", DigestOptions.KnownFormats, "html")] : null;
            var sendIt = parse.GetValue(send);
            if (sendIt && string.IsNullOrWhiteSpace(settings.Digest.Email.Host))
                throw new BadInputException("--send: Digest:Email:Host is not configured");
            await app.SyncAccountsAsync(ct);
            var outcome = await app.Get<DigestService>().RunAsync(new DigestRequest(day, formats, folder, sendIt), ct);
            PrintOutcome(app.Out, outcome);
            return TrackerCli.Success;
        });
        return command;
    }

    public static void PrintOutcome(TextWriter output, DigestOutcome outcome, Func<string, string>? shown = null)
    {
        var counts = string.Join(", ", Labels.All.Select(l => $"{l} {outcome.LabelCounts.GetValueOrDefault(l)}"));
        var mail = outcome.Sent ? ", mailed"
            : outcome.AlreadySentAt is { } at ? $", not mailed again (already sent to {outcome.AlreadySentTo} at {at.UtcDateTime:yyyy-MM-dd HH:mm}Z)"
            : "";
        output.WriteLine($"digest {outcome.Date:yyyy-MM-dd}: {outcome.Posts} posts ({counts}){mail}");
        foreach (var file in outcome.Files) output.WriteLine($"  {shown?.Invoke(file) ?? file}");
    }
}
