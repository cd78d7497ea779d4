using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
    private readonly ConditionalWeakTable<object, ConcurrentDictionary<(string Page, bool PasswordSet, bool LoggedIn), (Template Template, string Body)>> _kept = new();

    public string PathOf(string name) => _folder.PathOf(name);

    /// <summary>Renders web/{page}.html.sbn with <paramref name="model"/> (snake_case members), inside the layout.</summary>
    public string Render(string page, string title, object model, PageChrome chrome)
    {
        var body = RenderFile($"web/{page}.html.sbn", model, chrome, null, title);
        return RenderFile("web/layout.html.sbn", new { }, chrome, body, title);
    }

    /// <summary>
    /// As <see cref="Render"/>, for a page whose body depends only on <paramref name="key"/> (an object replaced whenever
    /// what the page shows changes, such as a cached roundup): the body is rendered once per key, login state and template
    /// (an edited override renders again) and kept while the key lives; only the layout, with each visitor's own form
    /// token, is rendered per request. The kept body never carries a form token: it is rendered with an empty one.
    /// </summary>
    public string RenderKept(string page, string title, object key, Func<object> model, PageChrome chrome)
    {
        var template = Load($"web/{page}.html.sbn");
        var bodies = _kept.GetValue(key, _ => new());
        var slot = (page, chrome.PasswordSet, chrome.LoggedIn);
        if (!bodies.TryGetValue(slot, out var kept) || !ReferenceEquals(kept.Template, template))
            bodies[slot] = kept = (template, RenderTemplate(template, model(), chrome with { Csrf = "" }, null, title));
        return RenderFile("web/layout.html.sbn", new { }, chrome, kept.Body, title);
    }

    private string RenderFile(string name, object model, PageChrome chrome, string? body, string title) =>
        RenderTemplate(Load(name), model, chrome, body, title);

    private static string RenderTemplate(Template template, object model, PageChrome chrome, string? body, string title)
    {
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        globals["page"] = chrome;
        globals["title"] = title;
        globals["body"] = body ?? "";
        globals.Import("post_html", new Func<string?, string>(t => t is null ? "" : PostText.HtmlWithLinks(t)));
        globals.Import("safe_link", new Func<string?, string?>(WebLink.SafeLink));
        return TemplateFolder.Render(template, TemplateFolder.DocumentContext(globals));
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
