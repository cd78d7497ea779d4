using SolidarityTracker.Rendering;

namespace SolidarityTracker.Export;

/// <summary>Writes a roundup as HTML or Markdown (from the templates) or CSV (one row per agency, responded or not).</summary>
public sealed class RoundupWriter(TemplateFolder templates)
{
    public static readonly IReadOnlyList<string> Formats = ["html", "md", "csv"];

    /// <summary>The formats rendered from a template (csv is written directly).</summary>
    public static readonly IReadOnlyList<string> TemplateFormats = ["html", "md"];

    public static readonly IReadOnlyList<string> CsvColumns = ["state", "agency_id", "agency_name", "first_post_at", "platform", "quote", "url", "responded"];

    /// <summary>Parses the template of a format before any work, so a broken one fails fast with file:line:col.</summary>
    public void Check(string format) => ReportTemplates.Load(templates, $"roundup.{format}.sbn");

    public async Task WriteAsync(RoundupReport report, string format, TextWriter output)
    {
        switch (format)
        {
            case "html":
            case "md":
                // Render first: a template error leaves the output untouched.
                var text = ReportTemplates.Render(templates, $"roundup.{format}.sbn", report);
                await output.WriteAsync(text);
                break;
            case "csv":
                WriteCsv(report, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "expected html, md or csv");
        }
    }

    private static void WriteCsv(RoundupReport report, TextWriter output)
    {
        using var csv = SpreadsheetSafe.Writer(output);
        foreach (var name in CsvColumns) csv.WriteField(name);
        csv.EndRecord();
        foreach (var agency in report.States.Concat(report.NotHeardFrom).SelectMany(s => s.Agencies.Select(a => (s.Name, a))))
        {
            csv.WriteField(agency.Name);
            csv.WriteField(agency.a.AgencyId);
            csv.WriteField(agency.a.AgencyName);
            // Local time with its offset: unambiguous, and what the association's readers live in.
            csv.WriteField(agency.a.FirstPostAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
            csv.WriteField(agency.a.Platform);
            csv.WriteField(agency.a.Quote);
            csv.WriteField(agency.a.Url);
            csv.WriteField(agency.a.Responded);
            csv.EndRecord();
        }
        csv.Flush();
    }
}
