namespace SolidarityTracker.Import;

/// <summary>
/// Reads the elements of one large top-level JSON array one at a time, with the line each starts on,
/// holding only one element in memory. Anything before the first '[' is skipped, which is how the
/// X archive's `window.YTD.tweets.part0 = [ … ]` becomes plain JSON.
/// </summary>
internal static class JsonArrayStream
{
    public readonly record struct Element(int Line, JsonElement? Value, string? Error);

    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static async IAsyncEnumerable<Element> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int length = 0, line = 1;
        var final = false;
        var scan = new Scan { State = new JsonReaderState(Options) };
        while (true)
        {
            if (length == buffer.Length) System.Array.Resize(ref buffer, buffer.Length * 2);
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0) final = true;
            length += read;

            var found = new List<(int Offset, JsonElement Value)>();
            string? error = null;
            var errorLine = 0;
            try
            {
                Step(buffer.AsSpan(0, length), final, ref scan, found);
            }
            catch (JsonException ex)
            {
                error = ArchiveLines.Describe(ex);
                // The reader's state carries its line count from the '[' on, across refills.
                errorLine = 1 + scan.PrefixLines + (int)(ex.LineNumber ?? 0);
            }

            var counted = 0;
            foreach (var (offset, value) in found)
            {
                line += CountLines(buffer.AsSpan(counted, offset - counted));
                counted = offset;
                yield return new Element(line, value, null);
            }
            if (error is not null)
            {
                yield return new Element(errorLine, null, $"not JSON ({error})");
                yield break;
            }
            line += CountLines(buffer.AsSpan(counted, scan.Consumed - counted));
            if (scan.Finished) yield break;
            if (final)
            {
                yield return new Element(line, null, scan.InArray ? "the array is not closed (file cut short?)" : "no JSON array in the file");
                yield break;
            }
            // Keep only what is not yet read.
            System.Buffer.BlockCopy(buffer, scan.Consumed, buffer, 0, length - scan.Consumed);
            length -= scan.Consumed;
            scan.Consumed = 0;
        }
    }

    private struct Scan
    {
        public JsonReaderState State;
        public bool PrefixSkipped, InArray, Finished;
        /// <summary>Bytes of the buffer fully read (prefix, whole elements).</summary>
        public int Consumed;
        /// <summary>Line breaks before the opening '['.</summary>
        public int PrefixLines;
    }

    private static void Step(ReadOnlySpan<byte> data, bool final, ref Scan scan, List<(int, JsonElement)> found)
    {
        if (!scan.PrefixSkipped)
        {
            var bracket = data.IndexOf((byte)'[');
            if (bracket < 0)
            {
                if (data.Length > 1024 * 1024) throw new JsonException("no JSON array in the first megabyte");
                return;
            }
            scan.PrefixSkipped = true;
            scan.Consumed = bracket;
            scan.PrefixLines = CountLines(data[..bracket]);
        }
        var origin = scan.Consumed;
        var reader = new Utf8JsonReader(data[origin..], final, scan.State);
        if (!scan.InArray)
        {
            if (!reader.Read()) return;
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a JSON array");
            scan.InArray = true;
            Commit(ref scan, ref reader, origin);
        }
        while (true)
        {
            var checkpoint = reader;
            if (!reader.Read()) { reader = checkpoint; return; }
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                scan.Finished = true;
                Commit(ref scan, ref reader, origin);
                return;
            }
            var start = origin + (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
            {
                reader = checkpoint;
                return;
            }
            var end = origin + (int)reader.BytesConsumed;
            using (var document = JsonDocument.Parse(data[start..end].ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }))
                found.Add((start, document.RootElement.Clone()));
            Commit(ref scan, ref reader, origin);
        }
    }

    private static void Commit(ref Scan scan, ref Utf8JsonReader reader, int origin)
    {
        scan.Consumed = origin + (int)reader.BytesConsumed;
        scan.State = reader.CurrentState;
    }

    private static int CountLines(ReadOnlySpan<byte> bytes) => System.MemoryExtensions.Count(bytes, (byte)'\n');
}
