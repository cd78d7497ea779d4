using SolidarityTracker.Export;

namespace SolidarityTracker.Import;

/// <summary>
/// The project's own JSONL: one object a line with the export columns. The common line is read straight from its
/// UTF-8 bytes in one pass over its properties (no document is built, only the columns an import uses become strings);
/// a line that pass does not take as it is (not JSON, not an object, escaped or repeated names, a list, invalid UTF-8)
/// goes through <see cref="ArchiveLines.ReadObjectsAsync"/>'s general reading, which says what is wrong with it.
/// </summary>
internal sealed class JsonlExportReader : IArchiveReader
{
    /// <summary>The columns <see cref="ExportRow.ToRecord"/> reads; labels and scores are not read (the classifier labels every post afresh).</summary>
    private static readonly string[] Read =
    [
        ExportColumns.Platform, ExportColumns.PostId, ExportColumns.AgencyId, ExportColumns.AgencyName, ExportColumns.Account,
        ExportColumns.CreatedAt, ExportColumns.Url, ExportColumns.Text, ExportColumns.IsRepost, ExportColumns.IsReply, ExportColumns.Lang,
    ];

    private static readonly byte[][] ReadUtf8 = Read.Select(Encoding.UTF8.GetBytes).ToArray();
    private static readonly byte[][] ExportColumnsUtf8 = ExportColumns.All.Select(Encoding.UTF8.GetBytes).ToArray();

    public async IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!ArchiveLines.StartsUtf8(stream))
        {
            await foreach (var record in ReadGeneralAsync(stream, cancellationToken)) yield return record;
            yield break;
        }
        var values = new string?[Read.Length];
        await foreach (var (line, bytes) in ArchiveLines.ReadUtf8Async(stream, cancellationToken))
        {
            string? text;
            if (TryReadColumns(bytes.Span, values, out var extra))
            {
                // A line of only export columns says nothing its stored columns do not: it is not kept a second time as raw_json.
                text = extra ? Encoding.UTF8.GetString(bytes.Span) : null;
                yield return ExportRow.ToRecord(line, name => values[Array.IndexOf(Read, name)], text);
                continue;
            }
            // Invalid UTF-8 becomes U+FFFD here, as a text reader would make it.
            text = Encoding.UTF8.GetString(bytes.Span);
            if (string.IsNullOrWhiteSpace(text)) continue;
            foreach (var record in ArchiveLines.ReadObject(line, text, General)) yield return record;
        }
    }

    /// <summary>The general reading alone, line by line through a JSON document (the fast pass must give what this gives).</summary>
    internal static IAsyncEnumerable<ArchiveRecord> ReadGeneralAsync(Stream stream, CancellationToken cancellationToken) =>
        ArchiveLines.ReadObjectsAsync(stream, General, cancellationToken);

    private static IEnumerable<ArchiveRecord> General(int line, JsonElement root, string text) =>
        [ExportRow.ToRecord(line, name => ArchiveLines.Field(root, name), HasExtraFields(root) ? text : null)];

    private static bool HasExtraFields(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
            if (!ExportColumns.All.Contains(property.Name)) return true;
        return false;
    }

    /// <summary>
    /// One pass over a line holding one JSON object: the read columns' values as text, as <see cref="ArchiveLines.Field"/>
    /// gives them. False for anything else (the general reading then decides, with its own error).
    /// </summary>
    private static bool TryReadColumns(ReadOnlySpan<byte> line, string?[] values, out bool extra)
    {
        Array.Clear(values);
        extra = false;
        var seen = 0;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped || reader.HasValueSequence) return false;
                var column = Column(reader.ValueSpan, ReadUtf8);
                if (column < 0) extra |= Column(reader.ValueSpan, ExportColumnsUtf8) < 0;
                if (!reader.Read()) return false;
                if (column < 0)
                {
                    reader.Skip();
                    continue;
                }
                if ((seen & (1 << column)) != 0) return false;
                seen |= 1 << column;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        values[column] = reader.GetString() is { Length: > 0 } s ? s : null;
                        break;
                    case JsonTokenType.Number:
                        values[column] = Encoding.UTF8.GetString(reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                        values[column] = "true";
                        break;
                    case JsonTokenType.False:
                        values[column] = "false";
                        break;
                    case JsonTokenType.Null:
                        break;
                    default:
                        return false;
                }
            }
            // The object must have ended, with nothing but white space after it.
            return reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 in a string value.
            return false;
        }
    }

    private static int Column(ReadOnlySpan<byte> name, byte[][] columns)
    {
        for (var i = 0; i < columns.Length; i++)
            if (name.SequenceEqual(columns[i])) return i;
        return -1;
    }
}
