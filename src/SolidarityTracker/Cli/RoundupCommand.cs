namespace SolidarityTracker.Cli;

/// <summary>`roundup --from DATE --to DATE [--query TEXT] [--label L] [--state ST] [--format html|md|csv] [--out FILE]`.</summary>
public static class RoundupCommand
{
    public static Command Create(CliApp app)
    {
        var filters = new PostFilterOptions(
            fromHelp: "First local date of the event (YYYY-MM-DD, in Digest:TimeZone). Required.",
            toHelp: "Last local date (YYYY-MM-DD), inclusive. Required.",
            queryHelp: "Full-text search that names the event, e.g. \"Baton Rouge\" (SQLite FTS5 syntax).",
            labelHelp: "Only posts with this label (default: condolence or memorial).",
            stateHelp: "Only agencies of this state; the not-yet-heard-from list too.");
        var format = CliOptions.Text("--format", "html (default), md or csv (state, agency_id, agency_name, first_post_at, platform, quote, url, responded).");
        var output = CliOptions.Out();
        var mkdir = CliOptions.Mkdir();
        var command = new Command("roundup", """
            For an event, the agencies that responded with condolence or memorial posts: each one's first post (local time,
            a short quote, a link), grouped by state, and the configured agencies not yet heard from. HTML and Markdown come
            from templates/roundup.html.sbn and roundup.md.sbn (a Digest:Templates folder overrides them file by file).
            CSV is spreadsheet-safe: a text cell that starts with =, +, -, @, tab or carriage return gets a leading apostrophe.
            """)
        { filters.From, filters.To, filters.Query, filters.Label, filters.State, format, output, mkdir };
        command.SetAction(async (parse, ct) =>
        {
            var settings = app.Settings;
            var file = CliOptions.OutFile(parse.GetValue(output), parse.GetValue(mkdir));
            var fromText = parse.GetValue(filters.From) ?? throw new BadInputException("--from is required (YYYY-MM-DD)");
            var toText = parse.GetValue(filters.To) ?? throw new BadInputException("--to is required (YYYY-MM-DD)");
            var posts = filters.Read(parse, settings.TimeZone);
            var roundupQuery = new RoundupQuery(
                posts.FromUtc!.Value, posts.ToUtc!.Value, CliOptions.ParseDate(fromText, "--from")!.Value, CliOptions.ParseDate(toText, "--to")!.Value,
                posts.FullText, posts.Label, posts.State);
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", RoundupWriter.Formats, "html");
            var writer = new RoundupWriter(new Rendering.TemplateFolder(settings.Digest.Templates, app.Shipped("templates")));
            if (chosen != "csv") writer.Check(chosen);

            // The not-yet-heard-from list is the configured agencies, so the agencies table must match configuration.
            await app.SyncAccountsAsync(ct);
            var report = await new RoundupBuilder(app.Get<PostStore>(), app.Get<AccountStore>(), settings).BuildAsync(roundupQuery, ct);
            await OutputFile.WriteAsync(file, app.Out, async w => { await writer.WriteAsync(report, chosen, w); return 0; });
            if (file is not null) await app.Error.WriteLineAsync($"roundup: {report.Responded} responded, {report.Silent} not yet heard from: {file}");
            return TrackerCli.Success;
        });
        return command;
    }
}
