namespace SolidarityTracker.Cli;

/// <summary>`export [--from DATE] [--to DATE] [--label L] [--agency ID] [--platform P] [--state ST] [--query TEXT] [--format csv|json|jsonl] [--out FILE] [--include-deleted]`.</summary>
public static class ExportCommand
{
    public static Command Create(CliApp app)
    {
        var filters = new PostFilterOptions();
        var format = CliOptions.Text("--format", "csv (default), json (an array) or jsonl (one object a line, what `import --format jsonl` reads).");
        var output = CliOptions.Out();
        var mkdir = CliOptions.Mkdir();
        var deleted = CliOptions.Flag("--include-deleted", "Also export posts the platform has since deleted.");
        var command = new Command("export", """
            Export stored posts as a timeline, oldest first. Columns (the same names as JSON fields): platform, post_id,
            agency_id, agency_name, account, created_at (UTC, ISO 8601 with Z), url, text, labels (;-separated, empty for
            other), condolence_score, memorial_score, safety_reminder_score, is_repost, is_reply, lang.
            Output is UTF-8 without a byte order mark. CSV follows RFC 4180 and is spreadsheet-safe: a text cell that
            starts with =, +, -, @, tab or carriage return gets a leading apostrophe ' so spreadsheets do not run it as
            a formula (OWASP CSV injection advice). Ids are always text (JSON strings), never numbers.
            """)
        { filters.From, filters.To, filters.Label, filters.Agency, filters.Platform, filters.State, filters.Query, format, output, mkdir, deleted };
        command.SetAction(async (parse, ct) =>
        {
            var settings = app.Settings;
            var file = CliOptions.OutFile(parse.GetValue(output), parse.GetValue(mkdir));
            var postQuery = filters.Read(parse, settings.TimeZone) with { IncludeDeleted = parse.GetValue(deleted) };
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", PostExporter.Formats, "csv");
            // Agency names and states come from configuration; line the agencies table up with it first.
            await app.SyncAccountsAsync(ct);
            var exporter = new PostExporter(app.Get<PostStore>());
            var count = await OutputFile.WriteAsync(file, app.Out,
                writer => exporter.ExportAsync(postQuery, chosen, writer, ct),
                stream => exporter.ExportAsync(postQuery, chosen, stream, ct));
            if (file is not null) await app.Error.WriteLineAsync($"exported {count} posts to {file}");
            return TrackerCli.Success;
        });
        return command;
    }
}
