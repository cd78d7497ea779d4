using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Rendering;
using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;

namespace SolidarityTracker.Export;

/// <summary>
/// Scriban templates of the reports in this folder (roundup.html.sbn, roundup.md.sbn): the program's own
/// templates/ folder, overridden file by file by Digest:Templates. A template that does not parse or fails while
/// rendering is bad input, reported as file:line:col.
/// </summary>
public sealed class ReportTemplates(TrackerSettings settings, string shippedFolder)
{
    private readonly TemplateFolder _folder = new(settings.Digest.Templates, shippedFolder);

    public string PathOf(string name) => _folder.PathOf(name);

    public Template Load(string name) => _folder.Load(name, "report");

    /// <summary>Renders <paramref name="model"/> (its properties in snake_case) with the helpers md_escape and md_url.</summary>
    public string Render(string name, object model)
    {
        var template = Load(name);
        var globals = new ScriptObject();
        globals.Import(model);
        globals.Import("md_escape", new Func<string?, string>(MarkdownEscape));
        globals.Import("md_url", new Func<string?, string>(MarkdownUrl));
        var context = new TemplateContext { StrictVariables = false, LoopLimit = 0, EnableRelaxedMemberAccess = true };
        context.PushGlobal(globals);
        return TemplateFolder.Render(template, context);
    }

    public static string MarkdownEscape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c is '\r' or '\n') { builder.Append(' '); continue; }
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '!' or '|' or '<' or '>' or '&' or '~')
                builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>A link target for Markdown: only http(s), with the characters that end a link destination percent-encoded.</summary>
    public static string MarkdownUrl(string? url) =>
        RoundupBuilder.SafeLink(url) is { } safe ? safe.Replace("(", "%28").Replace(")", "%29").Replace("<", "%3C").Replace(">", "%3E").Replace(" ", "%20") : "";
}
