using Scriban;
using Scriban.Runtime;
using SolidarityTracker.Rendering;
using SolidarityTracker.Text;

namespace SolidarityTracker.Digests;

/// <summary>
/// The digest templates: the shipped ones in the program's templates/ folder, each replaced by a file of the
/// same name in Digest:Templates when there is one. Any parse or runtime error becomes a BadInputException
/// naming the file, line and column.
/// </summary>
public sealed class DigestTemplates(string? overrideFolder, string? shippedFolder = null)
{
    private readonly TemplateFolder _folder = new(overrideFolder, shippedFolder ?? Path.Combine(AppContext.BaseDirectory, "templates"));

    public string ShippedFolder => _folder.ShippedFolder;

    public static string FileName(string format) => $"digest.{format}.sbn";

    /// <summary>The file a format renders from: the user's override when present, else the shipped one.</summary>
    public string PathOf(string format) => _folder.PathOf(FileName(format));

    public Template Load(string format) => _folder.Load(FileName(format), $"{format} digest");

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
