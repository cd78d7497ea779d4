using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Rendering;

namespace SolidarityTracker.Alerts;

/// <summary>
/// The alert texts from Scriban templates in templates/ (alert.txt.sbn, alert.html.sbn, alert.slack.sbn,
/// alert.teams.sbn), each overridable in Digest:Templates like the digest's. The model is `alert`: the message with
/// each post's time in Digest:TimeZone, an excerpt for chat, and its link only when http/https.
/// </summary>
public sealed class AlertTemplates(TrackerSettings settings, string? shippedFolder = null)
{
    public const string Text = "alert.txt.sbn", Html = "alert.html.sbn", Slack = "alert.slack.sbn", Teams = "alert.teams.sbn";
    public static readonly IReadOnlyList<string> All = [Text, Html, Slack, Teams];

    /// <summary>How much of a post a chat message quotes.</summary>
    public const int ChatExcerpt = 280;
    /// <summary>How many posts a chat message lists before "and N more".</summary>
    public const int ChatPosts = 10;

    private readonly TemplateFolder _folder = new(settings.Digest.Templates, shippedFolder ?? Path.Combine(AppContext.BaseDirectory, "templates"));
    private readonly Dictionary<string, Template> _loaded = [];

    /// <summary>
    /// Parses every alert template and renders it against a sample alert of each kind (for `check`): a broken one, or
    /// one naming a variable the model lacks, is bad input naming file:line:col.
    /// </summary>
    public void LoadAll()
    {
        foreach (var file in All) Load(file);
        foreach (var sample in Samples())
            foreach (var file in All) Render(file, sample);
    }

    /// <summary>One alert of each kind, with hostile text where post text goes.</summary>
    private static IEnumerable<AlertMessage> Samples()
    {
        var at = TrackerDatabase.ToDb(new DateTimeOffset(2016, 7, 17, 14, 0, 0, TimeSpan.Zero));
        AlertAgency[] agencies = [new("sample-pd", "Sample <Police> Department", "LA"), new("other-so", "Other Sheriff's Office", null)];
        AlertPost[] posts =
        [
            new("x", "1", "sample-pd", "https://x.com/sample/status/1", "Our condolences to the *Baton Rouge* Police Department <script>alert(1)</script>", ["condolence"], at),
            new("rss", "2", "other-so", "javascript:alert(1)", "Flags at half staff. | #BlueLivesMatter", ["memorial"], at),
        ];
        AlertAccount account = new("x", "samplepd", "sample-pd");
        foreach (var kind in new[] { AlertMessage.Incident, AlertMessage.IncidentUpdate, AlertMessage.Watch })
            yield return new AlertMessage { Id = "sample", Kind = kind, Title = "Sample: Baton Rouge, LA", SentAt = at, IncidentId = kind == AlertMessage.Watch ? null : 1, Agencies = agencies, Posts = posts };
        yield return new AlertMessage { Id = "sample", Kind = AlertMessage.SourceFailure, Title = "Sample failing", SentAt = at, Account = account, Error = "HTTP 401" };
        yield return new AlertMessage { Id = "sample", Kind = AlertMessage.SourceRecovered, Title = "Sample recovered", SentAt = at, Account = account };
        yield return new AlertMessage { Id = "sample", Kind = AlertMessage.Test, Title = "Sample test", SentAt = at };
    }

    private Template Load(string file)
    {
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(file, out var template)) _loaded[file] = template = _folder.Load(file, $"{file.Split('.')[1]} alert");
            return template;
        }
    }

    public string Render(string file, AlertMessage message)
    {
        var template = Load(file);
        var zone = settings.TimeZone;
        var model = new
        {
            message.Id, message.Kind, message.Title, message.SentAt, message.IncidentId, message.Error,
            KindTitle = message.Kind switch
            {
                AlertMessage.Incident => "New incident",
                AlertMessage.IncidentUpdate => "Incident update",
                AlertMessage.Watch => "Watch",
                AlertMessage.SourceFailure => "Source failing",
                AlertMessage.SourceRecovered => "Source recovered",
                _ => "Test",
            },
            Agencies = message.Agencies,
            States = message.Agencies.Select(a => a.State).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList(),
            Account = message.Account,
            Posts = message.Posts.Select(p =>
            {
                var agency = message.Agencies.FirstOrDefault(a => string.Equals(a.Id, p.AgencyId, StringComparison.OrdinalIgnoreCase));
                var created = TrackerDatabase.FromDb(p.CreatedAt);
                return new
                {
                    p.Platform, p.PostId, p.AgencyId, p.Text, p.Labels,
                    AgencyName = agency?.Name ?? p.AgencyId,
                    AgencyState = agency?.State,
                    Time = TimeZoneInfo.ConvertTime(created, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
                    Excerpt = PostText.Excerpt(p.Text, ChatExcerpt),
                    Link = WebLink.SafeLink(p.Url),
                };
            }).ToList(),
            ChatPosts,
            TimeZone = zone.Id,
        };
        var globals = new ScriptObject();
        globals["alert"] = model;
        globals.Import("markdown_escape", new Func<string?, string>(PostText.Markdown));
        globals.Import("plain", new Func<string?, string>(PostText.Plain));
        globals.Import("html_escape", new Func<string?, string>(PostText.Html));
        globals.Import("html_with_links", new Func<string?, string>(t => PostText.HtmlWithLinks(t ?? "")));
        globals.Import("slack_escape", new Func<string?, string>(SlackEscape));
        globals.Import("slack_link", new Func<string?, string>(SlackLink));
        // Strict members too: an override naming a field the model lacks fails in `check`, not silently in a live alert.
        var context = new TemplateContext { MemberRenamer = StandardMemberRenamer.Default, StrictVariables = true, EnableRelaxedMemberAccess = false };
        context.PushGlobal(globals);
        context.PushCulture(CultureInfo.InvariantCulture);
        return TemplateFolder.Render(template, context);
    }

    /// <summary>A safe (http/https) link in Slack's &lt;url|text&gt; form can hold neither | nor the angle brackets.</summary>
    public static string SlackLink(string? url) =>
        (WebLink.SafeLink(url) ?? "").Replace("|", "%7C").Replace("<", "%3C").Replace(">", "%3E");

    /// <summary>Slack mrkdwn: &amp;, &lt; and &gt; are its control characters (links, mentions); post text keeps them as text.</summary>
    public static string SlackEscape(string? text) =>
        PostText.Plain(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
