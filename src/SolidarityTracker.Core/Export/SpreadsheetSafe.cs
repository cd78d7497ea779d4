using CsvHelper;

namespace SolidarityTracker.Export;

/// <summary>
/// The CSV every command writes: RFC 4180 (comma, double quotes when needed, CRLF), and safe to open in a
/// spreadsheet. Following OWASP's CSV injection advice, a text cell that starts with =, +, -, @, tab or carriage
/// return gets a leading apostrophe ' (and quotes), which Excel, LibreOffice and Google Sheets show as text instead
/// of running it as a formula. Numbers and booleans are not text and are written as they are. Ids are written as
/// text, exactly as stored, never reformatted as numbers.
/// </summary>
public static class SpreadsheetSafe
{
    public static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Injection = CsvInjection.Escape,
        InjectionEscape = '\'',
        NewLine = "\r\n",
        WriteByteOrderMark = false,
        // Lower case, as JSON writes them, so csv and json exports read the same.
        TrueValue = "true",
        FalseValue = "false",
    };

    public static CsvWriter Writer(TextWriter output) => CsvWriter.Create(output, Options, leaveOpen: true);

    /// <summary>UTF-8 straight into a stream (no byte order mark).</summary>
    public static CsvWriter Writer(Stream output) => CsvWriter.Create(output, Options, leaveOpen: true);
}
