using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;
using SolidarityTracker.Rendering;
using SolidarityTracker.Text;

namespace SolidarityTracker.Web;

/// <summary>
/// The dashboard's pages from Scriban templates in templates/web/ (a Digest:Templates folder overrides them file by
/// file, as for the digest): a page's template renders its body, web/layout.html.sbn wraps it. Templates escape every
/// string with html.escape; post text goes through post_html (escaped, http/https links only).
/// </summary>
public sealed class PageRenderer(TrackerSettings settings, string shippedFolder)
{
    private readonly TemplateFolder _folder = new(settings.Digest.Templates, shippedFolder);
    private readonly ConcurrentDictionary<string, (DateTime Written, Template Template)> _parsed = new();

    public string PathOf(string name) => _folder.PathOf(name);

    /// <summary>Renders web/{page}.html.sbn with <paramref name="model"/> (snake_case members), inside the layout.</summary>
    public string Render(string page, string title, object model, PageChrome chrome)
    {
        var body = RenderFile($"web/{page}.html.sbn", model, chrome, null, title);
        return RenderFile("web/layout.html.sbn", new { }, chrome, body, title);
    }

    private string RenderFile(string name, object model, PageChrome chrome, string? body, string title)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        globals["page"] = chrome;
        globals["title"] = title;
        globals["body"] = body ?? "";
        globals.Import("post_html", new Func<string?, string>(t => t is null ? "" : PostText.HtmlWithLinks(t)));
        globals.Import("safe_link", new Func<string?, string?>(WebLink.SafeLink));
        return TemplateFolder.Render(Load(name), TemplateFolder.DocumentContext(globals));
    }

    /// <summary>Parsed once, again when the file changes (a user editing an override sees it on reload).</summary>
    private Template Load(string name)
    {
        var path = _folder.PathOf(name);
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        if (_parsed.TryGetValue(path, out var known) && known.Written == written) return known.Template;
        var template = _folder.Load(name, "page");
        _parsed[path] = (written, template);
        return template;
    }

    /// <summary>Parses every page template, so `serve` fails at start-up with file:line:col instead of on a first visit.</summary>
    public void Check()
    {
        foreach (var page in PageEndpoints.Pages) Load($"web/{page}.html.sbn");
        Load("web/layout.html.sbn");
    }
}

/// <summary>What every page's layout shows: the section it is in, the login state, the form token.</summary>
public sealed record PageChrome(string Section, bool PasswordSet, bool LoggedIn, string Csrf);
