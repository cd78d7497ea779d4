using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;
using SolidarityTracker.Configuration;

namespace SolidarityTracker.Digests;

/// <summary>
/// The digest templates: the shipped ones in the program's templates/ folder, each replaced by a file of the
/// same name in Digest:Templates when there is one. Any parse or runtime error becomes a BadInputException
/// naming the file, line and column.
/// </summary>
public sealed class DigestTemplates(string? overrideFolder, string? shippedFolder = null)
{
    public string ShippedFolder { get; } = shippedFolder ?? Path.Combine(AppContext.BaseDirectory, "templates");

    public static string FileName(string format) => $"digest.{format}.sbn";

    /// <summary>The file a format renders from: the user's override when present, else the shipped one.</summary>
    public string PathOf(string format)
    {
        var name = FileName(format);
        if (!string.IsNullOrWhiteSpace(overrideFolder))
        {
            var candidate = Path.Combine(overrideFolder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return Path.Combine(ShippedFolder, name);
    }

    public Template Load(string format)
    {
        var path = PathOf(format);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot read the {format} digest template ({ex.Message.TrimEnd('.')})", ex);
        }
        var template = Template.Parse(text, path);
        if (template.HasErrors)
        {
            var error = template.Messages.FirstOrDefault(m => m.Type == Scriban.Parsing.ParserMessageType.Error) ?? template.Messages[0];
            throw new BadInputException($"{Where(path, error.Span)}: {error.Message}");
        }
        return template;
    }

    /// <summary>Renders a model; the model is `digest` in the template, with snake_case member names.</summary>
    public static string Render(Template template, object model)
    {
        var globals = new ScriptObject();
        globals["digest"] = model;
        globals.Import("markdown_escape", new Func<string?, string>(PostText.Markdown));
        globals.Import("plain", new Func<string?, string>(PostText.Plain));
        var context = new TemplateContext
        {
            MemberRenamer = StandardMemberRenamer.Default,
            StrictVariables = true,
            // A busy day has tens of thousands of posts; the default loop limit (1000) is for untrusted scripts.
            LoopLimit = int.MaxValue,
            // Scriban cuts any string over 1 MiB by default, the rendered page included; a digest may be larger.
            LimitToString = 0,
        };
        context.PushGlobal(globals);
        // Numbers and dates in templates read the same on every machine.
        context.PushCulture(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException ex)
        {
            throw new BadInputException($"{Where(template.SourceFilePath, ex.Span)}: {ex.OriginalMessage}", ex);
        }
    }

    /// <summary>file:line:col, one-based, the way compilers and editors point at a place.</summary>
    private static string Where(string? path, Scriban.Parsing.SourceSpan span) =>
        $"{path ?? span.FileName}:{span.Start.Line + 1}:{span.Start.Column + 1}";
}
