using SolidarityTracker.Import;

namespace SolidarityTracker.Cli;

/// <summary>`import FILE [--format …] [--agency ID]`: backfill from an archive, then a summary and every bad line.</summary>
public static class ImportCommand
{
    public static Command Create(CliApp app)
    {
        var file = new Argument<string>("FILE") { Description = "The archive: the project's JSONL or CSV export, twarc2 JSONL, or the X archive's data/tweets.js." };
        var format = CliOptions.Text("--format", $"The archive's format: {string.Join(", ", ArchiveImporter.Formats)}. Guessed from the file's name and first line when omitted.");
        var agency = CliOptions.Text("--agency", "Assign every post to this configured agency id (else the file's agency_id, else the agency configured with the post's account).");
        var createAgency = CliOptions.Flag("--create-agency", "Let --agency name an agency that is not configured: it is created, unconfigured, with its id as its name.");
        var command = new Command("import",
            "Backfill posts from an archive; safe to repeat (no duplicates). Bad lines are printed as FILE:LINE: why on standard error " +
            "and the rest imports: exit 0 when at least one record imported, 2 when the file is missing, unreadable or holds nothing importable.")
        {
            file, format, agency, createAgency,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var formatValue = parse.GetValue(format);
            // An unknown --format is bad input before anything is opened.
            if (formatValue is not null) ArchiveImporter.ParseFormat(formatValue);
            // Checked before the database is touched, so a mistyped path leaves nothing behind.
            if (!File.Exists(path)) throw new BadInputException(Directory.Exists(path) ? $"{path}: is a folder, not an archive file" : $"{path}: no such file");
            if (parse.GetValue(agency)?.Trim() is { Length: > 0 } agencyId && !parse.GetValue(createAgency)
                && !app.Settings.Tracker.Agencies.Any(a => a.Id == agencyId))
                throw new BadInputException($"--agency {agencyId}: no such agency in Tracker:Agencies; configure it, or add --create-agency to file the posts under a new, unconfigured agency");
            await app.SyncAccountsAsync(ct, noteIfEmpty: false);
            var report = await app.Get<ArchiveImporter>().ImportAsync(path, formatValue, parse.GetValue(agency), ct);

            foreach (var error in report.Errors) await app.Error.WriteLineAsync($"warning: {error}");
            if (report.BadRecords > report.Errors.Count)
                await app.Error.WriteLineAsync($"warning: {report.BadRecords - report.Errors.Count} more bad records not shown");
            app.Out.WriteLine($"{report.File} ({report.Format}): {report.Lines} records read, {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, {report.BadRecords} bad");
            if (report.Imported == 0)
                throw new BadInputException(report.BadRecords > 0
                    ? $"{report.File}: nothing importable ({report.BadRecords} bad records)"
                    : $"{report.File}: no records to import");
            return TrackerCli.Success;
        });
        return command;
    }
}
