namespace SolidarityTracker.Cli;

/// <summary>`timeline [--from DATE --to DATE] [--query TEXT] [--by hour|day] [--format csv|svg] [--out FILE]`.</summary>
public static class TimelineCommand
{
    public static Command Create(CliApp app)
    {
        var filters = new PostFilterOptions(
            toHelp: "Last local date (YYYY-MM-DD), inclusive.",
            queryHelp: "Full-text search (SQLite FTS5 syntax), e.g. \"Baton Rouge\".");
        var by = CliOptions.Text("--by", "hour (default) or day, local in Digest:TimeZone with daylight saving honoured.");
        var format = CliOptions.Text("--format", "csv (default: bucket_start, condolence_agencies, memorial_agencies, safety_reminder_agencies, posts) or svg (a standalone chart).");
        var output = CliOptions.Out();
        var mkdir = CliOptions.Mkdir();
        var command = new Command("timeline", """
            How many distinct agencies posted each label per local hour or day, and how many posts there were, so the
            spread of solidarity can be plotted. bucket_start is local ISO 8601 with its offset (e.g. 2016-07-17T09:00:00-04:00).
            """)
        { filters.From, filters.To, filters.Query, by, format, output, mkdir };
        command.SetAction(async (parse, ct) =>
        {
            var settings = app.Settings;
            var file = CliOptions.OutFile(parse.GetValue(output), parse.GetValue(mkdir));
            var posts = filters.Read(parse, settings.TimeZone);
            var granularity = CliOptions.ParseChoice(parse.GetValue(by), "--by", TimelineBuilder.Granularities, "hour");
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", TimelineWriter.Formats, "csv");
            app.NoteIfEmpty();
            var report = await new TimelineBuilder(app.Get<PostStore>(), settings.TimeZone)
                .BuildAsync(posts, granularity, ct);
            var subtitle = posts.FullText is null ? null : $"posts matching {posts.FullText}";
            await OutputFile.WriteAsync(file, app.Out, w => { TimelineWriter.Write(report, chosen, subtitle, w); return Task.FromResult(0); });
            if (file is not null) await app.Error.WriteLineAsync($"timeline: {report.Buckets.Count} buckets: {file}");
            return TrackerCli.Success;
        });
        return command;
    }
}
