using System.Buffers;

namespace SolidarityTracker.Import;

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
    /// The same lines as <see cref="ReadAsync"/> (split at \n, \r\n or \r, a UTF-8 byte order mark dropped, blank lines
    /// left out but counted) as the UTF-8 bytes they are, with no string made of them. Each line's bytes are valid
    /// until the next is asked for. For a stream <see cref="StartsUtf8"/> says is UTF-8.
    /// </summary>
    public static async IAsyncEnumerable<(int Line, ReadOnlyMemory<byte> Bytes)> ReadUtf8Async(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            int start = 0, end = 0, number = 0;
            bool eof = false, first = true;
            while (true)
            {
                var pending = buffer.AsSpan(start, end - start);
                var at = pending.IndexOfAny((byte)'\n', (byte)'\r');
                // A \r last in the buffer may be the first half of \r\n: read on before deciding.
                if (at < 0 || (pending[at] == '\r' && at == pending.Length - 1 && !eof))
                {
                    if (eof)
                    {
                        if (end > start && !IsBlank(pending)) yield return (number + 1, buffer.AsMemory(start, end - start));
                        yield break;
                    }
                    if (start > 0)
                    {
                        pending.CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                    if (read == 0) eof = true;
                    end += read;
                    if (first && end >= 3)
                    {
                        first = false;
                        if (buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8)) start = 3;
                    }
                    continue;
                }
                number++;
                var line = buffer.AsMemory(start, at);
                start += at + (pending[at] == '\r' && at + 1 < pending.Length && pending[at + 1] == '\n' ? 2 : 1);
                if (!IsBlank(line.Span)) yield return (number, line);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\v\f"u8) < 0;

    /// <summary>False when the stream starts with a UTF-16 or UTF-32 byte order mark (then only <see cref="ReadAsync"/> reads it right). Leaves the position where it was.</summary>
    public static bool StartsUtf8(Stream stream)
    {
        if (!stream.CanSeek) return true;
        var position = stream.Position;
        Span<byte> head = stackalloc byte[2];
        var read = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        stream.Position = position;
        return read < 2 || !(head.SequenceEqual((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.SequenceEqual((ReadOnlySpan<byte>)[0xFE, 0xFF]));
    }

    /// <summary>
    /// One JSON object a line: each becomes the records <paramref name="read"/> makes of it (the line number, the object,
    /// the line's text); a line that is not JSON, or not an object, is a bad record of its own.
    /// </summary>
    public static async IAsyncEnumerable<ArchiveRecord> ReadObjectsAsync(Stream stream, Func<int, JsonElement, string, IEnumerable<ArchiveRecord>> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (line, text) in ReadAsync(stream, cancellationToken))
            foreach (var record in ReadObject(line, text, read)) yield return record;
    }

    /// <summary>The records <paramref name="read"/> makes of one line holding a JSON object; a line that is not JSON, or not an object, is a bad record of its own.</summary>
    public static IEnumerable<ArchiveRecord> ReadObject(int line, string text, Func<int, JsonElement, string, IEnumerable<ArchiveRecord>> read)
    {
        var (document, error) = ParseJson(text);
        if (document is null)
        {
            yield return ArchiveRecord.Bad(line, $"not JSON ({error})");
            yield break;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                yield return ArchiveRecord.Bad(line, "not a JSON object");
                yield break;
            }
            foreach (var record in read(line, document.RootElement, text)) yield return record;
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
