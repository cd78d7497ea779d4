using Scriban;
using Scriban.Parsing;
using Scriban.Syntax;

namespace SolidarityTracker.Rendering;

/// <summary>
/// The Scriban templates of the digest and the reports: the program's shipped templates/ folder, each file replaced
/// by one of the same name in Digest:Templates when there is one. A template that cannot be read, does not parse or
/// fails while rendering is bad input, reported as file:line:col.
/// </summary>
public sealed class TemplateFolder(string? overrideFolder, string shippedFolder)
{
    public string ShippedFolder { get; } = shippedFolder;

    /// <summary>The file a template renders from: the user's override when present, else the shipped one.</summary>
    public string PathOf(string fileName)
    {
        if (!string.IsNullOrWhiteSpace(overrideFolder))
        {
            var candidate = Path.Combine(overrideFolder, fileName);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return Path.Combine(ShippedFolder, fileName);
    }

    /// <param name="what">What the template is for, as the error names it ("html digest", "roundup").</param>
    public Template Load(string fileName, string what)
    {
        var path = PathOf(fileName);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot read the {what} template ({ex.Message.TrimEnd('.')})", ex);
        }
        var template = Template.Parse(text, path);
        if (template.HasErrors)
        {
            var error = template.Messages.FirstOrDefault(m => m.Type == ParserMessageType.Error) ?? template.Messages[0];
            throw new BadInputException($"{Where(path, error.Span)}: {error.Message}");
        }
        return template;
    }

    /// <summary>
    /// The context a digest or a dashboard page renders in: snake_case members, strict variables, and
    /// the invariant culture so numbers and dates read the same on every machine.
    /// </summary>
    public static TemplateContext DocumentContext(Scriban.Runtime.ScriptObject globals)
    {
        var context = new TemplateContext
        {
            MemberRenamer = Scriban.Runtime.StandardMemberRenamer.Default,
            StrictVariables = true,
            // A busy day has tens of thousands of posts; the default loop limit (1000) is for untrusted scripts.
            LoopLimit = int.MaxValue,
            // Scriban cuts any string over 1 MiB by default, the rendered page included; a digest may be larger.
            LimitToString = 0,
        };
        context.PushGlobal(globals);
        context.PushCulture(System.Globalization.CultureInfo.InvariantCulture);
        return context;
    }

    /// <summary>Renders with a prepared context; a runtime error names the template's file, line and column.</summary>
    public static string Render(Template template, TemplateContext context)
    {
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
    private static string Where(string? path, SourceSpan span) =>
        $"{path ?? span.FileName}:{span.Start.Line + 1}:{span.Start.Column + 1}";
}
