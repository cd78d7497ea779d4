using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace SolidarityTracker.Sources.Archives;

/// <summary>What the line-based formats share: numbered non-blank lines, and JSON values read as text.</summary>
internal static class ArchiveLines
{
    public static async IAsyncEnumerable<(int Line, string Text)> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(text)) yield return (number, text);
        }
    }

    /// <summary>
    /// One JSON object a line: each becomes the records <paramref name="read"/> makes of it (the line number, the object,
    /// the line's text); a line that is not JSON, or not an object, is a bad record of its own.
    /// </summary>
    public static async IAsyncEnumerable<ArchiveRecord> ReadObjectsAsync(Stream stream, Func<int, JsonElement, string, IEnumerable<ArchiveRecord>> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (line, text) in ReadAsync(stream, cancellationToken))
        {
            var (document, error) = ParseJson(text);
            if (document is null)
            {
                yield return ArchiveRecord.Bad(line, $"not JSON ({error})");
                continue;
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    yield return ArchiveRecord.Bad(line, "not a JSON object");
                    continue;
                }
                foreach (var record in read(line, document.RootElement, text)) yield return record;
            }
        }
    }

    /// <summary>A property as text: strings as they are, numbers and booleans as written, null or absent as null.</summary>
    public static string? Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? AsText(value) : null;

    public static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(';', value.EnumerateArray().Select(AsText).OfType<string>()),
        _ => null,
    };

    public static (JsonDocument? Document, string? Error) ParseJson(string text)
    {
        try
        {
            return (JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 }), null);
        }
        catch (JsonException ex)
        {
            return (null, Describe(ex));
        }
    }

    public static string Describe(JsonException ex) =>
        ex.Message.Split(" LineNumber:")[0].Split(" Path:")[0].TrimEnd('.', ' ');
}
