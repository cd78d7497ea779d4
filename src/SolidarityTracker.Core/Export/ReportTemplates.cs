using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Rendering;

namespace SolidarityTracker.Export;

/// <summary>
/// How the reports of the <see cref="TemplateFolder"/> (roundup.html.sbn, roundup.md.sbn) render: the model's
/// properties in snake_case at the top level, with the helpers md_escape and md_url.
/// </summary>
public static class ReportTemplates
{
    public static Template Load(TemplateFolder folder, string name) => folder.Load(name, "report");

    public static string Render(TemplateFolder folder, string name, object model)
    {
        var template = Load(folder, name);
        var globals = new ScriptObject();
        globals.Import(model);
        globals.Import("md_escape", new Func<string?, string>(PostText.Markdown));
        globals.Import("md_url", new Func<string?, string>(PostText.MarkdownUrl));
        var context = new TemplateContext { StrictVariables = false, LoopLimit = 0, EnableRelaxedMemberAccess = true };
        context.PushGlobal(globals);
        return TemplateFolder.Render(template, context);
    }
}
