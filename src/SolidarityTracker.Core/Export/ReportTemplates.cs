using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Rendering;
using SolidarityTracker.Configuration;
using SolidarityTracker.Text;

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
        globals.Import("md_escape", new Func<string?, string>(PostText.Markdown));
        globals.Import("md_url", new Func<string?, string>(PostText.MarkdownUrl));
        var context = new TemplateContext { StrictVariables = false, LoopLimit = 0, EnableRelaxedMemberAccess = true };
        context.PushGlobal(globals);
        return TemplateFolder.Render(template, context);
    }
}
