namespace SolidarityTracker.Cli;

/// <summary>
/// The post filters export, roundup and timeline share (`--from`/`--to` local dates, `--label`, `--agency`,
/// `--platform`, `--state`, `--query`), made once and read into one <see cref="PostQuery"/>. A command adds the ones
/// it offers, in its own help order; one it leaves out reads as no filter. The help that a command words its own way
/// (roundup's required event dates, timeline's example) is passed in, so each command's help stays as it was.
/// </summary>
public sealed class PostFilterOptions(
    string fromHelp = "First local date (YYYY-MM-DD, in Digest:TimeZone), inclusive.",
    string toHelp = "Last local date (YYYY-MM-DD, in Digest:TimeZone), inclusive.",
    string labelHelp = "condolence, memorial, safety_reminder or other (no label).",
    string stateHelp = "Only agencies of this state (e.g. LA).",
    string queryHelp = "Full-text search (SQLite FTS5 syntax: words, \"phrases\", OR, NOT, prefix*).")
{
    public Option<string?> From { get; } = CliOptions.Text("--from", fromHelp);
    public Option<string?> To { get; } = CliOptions.Text("--to", toHelp);
    public Option<string?> Label { get; } = CliOptions.Text("--label", labelHelp);
    public Option<string?> Agency { get; } = CliOptions.Text("--agency", "Only this agency id.");
    public Option<string?> Platform { get; } = CliOptions.Text("--platform", "x, mastodon, bluesky or rss.");
    public Option<string?> State { get; } = CliOptions.Text("--state", stateHelp);
    public Option<string?> Query { get; } = CliOptions.Text("--query", queryHelp);

    /// <summary>The filters given, checked (a bad date, range, label or platform is bad input, exit 2); dates are local in zone.</summary>
    public PostQuery Read(ParseResult parse, TimeZoneInfo zone)
    {
        var (fromUtc, toUtc) = CliOptions.ParseRange(parse.GetValue(From), parse.GetValue(To), zone);
        return new PostQuery
        {
            FromUtc = fromUtc,
            ToUtc = toUtc,
            Label = CliOptions.ParseLabel(parse.GetValue(Label)),
            AgencyId = NonEmpty(parse.GetValue(Agency)),
            Platform = CliOptions.ParsePlatform(parse.GetValue(Platform)),
            State = NonEmpty(parse.GetValue(State)),
            FullText = NonEmpty(parse.GetValue(Query)),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
