using SolidarityTracker.Incidents;
using SolidarityTracker.Text;

namespace SolidarityTracker.Cli;

/// <summary>
/// `incidents [--from DATE] [--to DATE] [--format txt|json|md]`: the incidents the poll cycles detected (the ones
/// incident alerts are about), oldest first: the loss, its other names, when it began and last grew, and each
/// responding agency with its state, first post and count of posts.
/// </summary>
public static class IncidentsCommand
{
    public static readonly IReadOnlyList<string> Formats = ["txt", "json", "md"];
    /// <summary>How much of an agency's first post the txt and md lists quote.</summary>
    private const int Quote = 200;

    public static Command Create(CliApp app)
    {
        var from = CliOptions.Text("--from", "First local date (YYYY-MM-DD, Digest:TimeZone): incidents with posts on or after it.");
        var to = CliOptions.Text("--to", "Last local date (YYYY-MM-DD), included: incidents that began on or before it.");
        var format = CliOptions.Text("--format", "txt (default), json or md.");
        var command = new Command("incidents", "List the detected incidents: the loss, the agencies that responded (state, first post) and the counts.") { from, to, format };
        command.SetAction((parse, ct) =>
        {
            var chosen = CliOptions.ParseChoice(parse.GetValue(format), "--format", Formats, "txt");
            var zone = app.Settings.TimeZone;
            var (fromUtc, toUtc) = CliOptions.ParseRange(parse.GetValue(from), parse.GetValue(to), zone);
            var incidents = app.Get<IncidentStore>().List(fromUtc, toUtc);
            switch (chosen)
            {
                case "json": WriteJson(app.Out, incidents, zone); break;
                case "md": WriteMarkdown(app.Out, incidents, zone); break;
                default: WriteText(app.Out, incidents, zone); break;
            }
            return Task.FromResult(TrackerCli.Success);
        });
        return command;
    }

    private static IReadOnlyList<string> States(Incident incident) =>
        incident.Agencies.Select(a => a.State).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();

    private static string Counts(Incident incident)
    {
        var states = States(incident).Count;
        return $"{incident.Agencies.Count} {(incident.Agencies.Count == 1 ? "agency" : "agencies")}" +
               (states > 0 ? $" in {states} {(states == 1 ? "state" : "states")}" : "") +
               $", {incident.PostCount} {(incident.PostCount == 1 ? "post" : "posts")}";
    }

    private static IEnumerable<string> OtherNames(Incident incident) => incident.Aliases.Where(a => a != incident.Title);

    private static void WriteText(TextWriter output, IReadOnlyList<Incident> incidents, TimeZoneInfo zone)
    {
        foreach (var incident in incidents)
        {
            var aliases = OtherNames(incident).ToList();
            output.WriteLine($"incident {incident.Id}: {PostText.Plain(incident.Title)} ({incident.Kind}){(aliases.Count > 0 ? $"; also {PostText.Plain(string.Join(", ", aliases))}" : "")}");
            output.WriteLine($"  {Counts(incident)}; first post {LocalDay.Stamp(incident.FirstAt, zone)}, last {LocalDay.Stamp(incident.LastAt, zone)}, detected {LocalDay.Stamp(incident.OpenedAt, zone)}");
            foreach (var agency in incident.Agencies)
            {
                var post = agency.FirstPost;
                output.WriteLine($"  - {PostText.Plain(agency.Name)} ({agency.Id}{(agency.State is null ? "" : ", " + agency.State)}): {agency.Posts} {(agency.Posts == 1 ? "post" : "posts")}, first {LocalDay.Stamp(post.CreatedAt, zone)} on {post.Platform}");
                output.WriteLine($"    {PostText.Excerpt(post.Text, Quote)}");
                if (WebLink.SafeLink(post.Url) is { } link) output.WriteLine($"    {link}");
            }
            output.WriteLine();
        }
        output.WriteLine($"{incidents.Count} {(incidents.Count == 1 ? "incident" : "incidents")}; times in {zone.Id}");
    }

    private static void WriteMarkdown(TextWriter output, IReadOnlyList<Incident> incidents, TimeZoneInfo zone)
    {
        output.WriteLine("# Incidents");
        output.WriteLine();
        output.WriteLine($"{incidents.Count} {(incidents.Count == 1 ? "incident" : "incidents")}; times in {zone.Id}.");
        foreach (var incident in incidents)
        {
            output.WriteLine();
            output.WriteLine($"## {PostText.Markdown(incident.Title)}");
            output.WriteLine();
            var aliases = OtherNames(incident).ToList();
            if (aliases.Count > 0) output.WriteLine($"Also named: {string.Join(", ", aliases.Select(PostText.Markdown))}.  ");
            output.WriteLine($"{Counts(incident)}; first post {LocalDay.Stamp(incident.FirstAt, zone)}, last {LocalDay.Stamp(incident.LastAt, zone)}, detected {LocalDay.Stamp(incident.OpenedAt, zone)}.");
            output.WriteLine();
            output.WriteLine("| Agency | State | First post | Posts | Quote |");
            output.WriteLine("| --- | --- | --- | ---: | --- |");
            foreach (var agency in incident.Agencies)
            {
                var post = agency.FirstPost;
                var time = LocalDay.Stamp(post.CreatedAt, zone);
                var url = PostText.MarkdownUrl(post.Url);
                var first = url.Length > 0 ? $"[{time}]({url})" : time;
                output.WriteLine($"| {PostText.Markdown(agency.Name)} | {PostText.Markdown(agency.State ?? "")} | {first} | {agency.Posts} | {PostText.Markdown(PostText.Excerpt(post.Text, Quote))} |");
            }
        }
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<Incident> incidents, TimeZoneInfo zone)
    {
        var document = new
        {
            time_zone = zone.Id,
            incidents = incidents.Select(i => new
            {
                id = i.Id,
                key = i.Key,
                kind = i.Kind,
                title = i.Title,
                aliases = OtherNames(i),
                first_at = ExportColumns.Timestamp(i.FirstAt),
                last_at = ExportColumns.Timestamp(i.LastAt),
                detected_at = ExportColumns.Timestamp(i.OpenedAt),
                agency_count = i.Agencies.Count,
                states = States(i),
                posts = i.PostCount,
                agencies = i.Agencies.Select(a => new
                {
                    id = a.Id,
                    name = a.Name,
                    state = a.State,
                    posts = a.Posts,
                    first_post = Post(a.FirstPost),
                }),
            }),
        };
        output.WriteLine(JsonSerializer.Serialize(document, SolidarityTracker.Text.Utf8Json.IndentedSerializerOptions));
    }

    private static object Post(IncidentPost post) => new
    {
        platform = post.Platform,
        post_id = post.PostId,
        agency_id = post.AgencyId,
        created_at = ExportColumns.Timestamp(post.CreatedAt),
        url = WebLink.SafeLink(post.Url),
        text = post.Text,
        labels = post.Labels,
    };
}
