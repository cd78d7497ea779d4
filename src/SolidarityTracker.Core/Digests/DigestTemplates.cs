using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Rendering;

namespace SolidarityTracker.Digests;

/// <summary>
/// The digest's templates in the <see cref="TemplateFolder"/> (digest.html.sbn, digest.md.sbn, digest.txt.sbn) and how
/// a digest renders: the model is `digest`, with snake_case member names and the markdown_escape and plain helpers.
/// </summary>
public static class DigestTemplates
{
    public static string FileName(string format) => $"digest.{format}.sbn";

    public static Template Load(TemplateFolder folder, string format) => folder.Load(FileName(format), $"{format} digest");

    /// <summary>Renders a model; the model is `digest` in the template, with snake_case member names.</summary>
    public static string Render(Template template, object model)
    {
        var globals = new ScriptObject();
        globals["digest"] = model;
        globals.Import("markdown_escape", new Func<string?, string>(PostText.Markdown));
        globals.Import("plain", new Func<string?, string>(PostText.Plain));
        return TemplateFolder.Render(template, TemplateFolder.DocumentContext(globals));
    }
}
