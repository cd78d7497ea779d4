using System.Buffers;

namespace SolidarityTracker.Cli;

/// <summary>
/// `classify [TEXT…]` or `classify --input FILE`: one JSONL line per input, in order,
/// {"id":…,"labels":[…],"scores":{…},"evidence":[…]}. The file is streamed line by line, so memory stays flat.
/// </summary>
public static class ClassifyCommand
{
    public static Command Create(CliApp app)
    {
        var texts = new Argument<string[]>("TEXT") { Description = "Texts to classify; each one's id is its position (1, 2, …).", Arity = ArgumentArity.ZeroOrMore };
        var input = new Option<string?>("--input") { Description = "JSONL with \"id\" and \"text\" on each line (- for standard input)." };
        var command = new Command("classify",
            "Classify texts as condolence, memorial and/or safety_reminder; prints JSONL, one line per input in order. " +
            "With --input, a line that is not JSON or has no text prints {\"id\":…,\"error\":\"line N: …\"} and the run goes on; " +
            "the exit code is 0 when at least one line was classified (or the file is empty) and 2 when no line could be.");
        command.Arguments.Add(texts);
        command.Options.Add(input);
        command.SetAction(async (parse, ct) =>
        {
            var positional = parse.GetValue(texts) ?? [];
            var file = parse.GetValue(input);
            if (file is not null && positional.Length > 0) throw new BadInputException("classify: give TEXT arguments or --input FILE, not both");
            if (file is null && positional.Length == 0) throw new BadInputException("classify: give TEXT arguments or --input FILE");
            var classifier = app.Get<IPostClassifier>();
            using var output = new JsonLines(app.Out);
            if (file is null)
            {
                for (var i = 0; i < positional.Length; i++) output.WriteResult(i + 1, classifier.Classify(positional[i]));
                return TrackerCli.Success;
            }
            return await ClassifyFileAsync(app, classifier, file, output, ct);
        });
        return command;
    }

    private static async Task<int> ClassifyFileAsync(CliApp app, IPostClassifier classifier, string file, JsonLines output, CancellationToken ct)
    {
        TextReader reader;
        if (file == "-") reader = Console.In;
        else if (!File.Exists(file)) throw new BadInputException($"--input {file}: file not found");
        else reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        int lineNumber = 0, classified = 0, errors = 0;
        using (reader)
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                if (TryReadInput(line, lineNumber, out var id, out var text, out var error))
                {
                    output.WriteResult(id, classifier.Classify(text!));
                    classified++;
                }
                else
                {
                    output.WriteError(id, $"line {lineNumber}: {error}");
                    errors++;
                }
            }
        }
        output.Flush();
        if (errors == 0) return TrackerCli.Success;
        if (classified == 0) throw new BadInputException($"--input {file}: no line could be classified ({errors} bad line{(errors == 1 ? "" : "s")})");
        await app.Error.WriteLineAsync($"warning: {file}: {errors} of {errors + classified} lines could not be classified (see their \"error\" lines)");
        return TrackerCli.Success;
    }

    /// <summary>A line's id (as written: string or number; its line number when it has none) and text.</summary>
    internal static bool TryReadInput(string line, int lineNumber, out object id, out string? text, out string? error)
    {
        id = lineNumber;
        text = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            error = $"not JSON ({ex.Message.Split(". ")[0].TrimEnd('.')})";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return false;
            }
            if (root.TryGetProperty("id", out var idElement))
            {
                if (idElement.ValueKind == JsonValueKind.String) id = idElement.GetString()!;
                else if (idElement.ValueKind == JsonValueKind.Number) id = new RawNumber(idElement.GetRawText());
                else
                {
                    error = "\"id\" must be a string or a number";
                    return false;
                }
            }
            if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
            {
                error = "no \"text\" string";
                return false;
            }
            text = textElement.GetString();
            error = null;
            return true;
        }
    }

    /// <summary>A numeric id exactly as the input wrote it (X ids exceed 2^53, so no round trip through double).</summary>
    internal sealed record RawNumber(string Json);

    /// <summary>JSONL through one reused Utf8JsonWriter; written to standard output as bytes, or to a TextWriter (tests).</summary>
    private sealed class JsonLines : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly Utf8JsonWriter _writer;
        private readonly TextWriter _text;
        private readonly Stream? _stdout;
        private char[] _chars = new char[1024];

        public JsonLines(TextWriter output)
        {
            _writer = new Utf8JsonWriter(_buffer, SolidarityTracker.Text.Utf8Json.WriterOptions);
            _text = output;
            // Console.Out flushes on every write; the raw stream behind a buffer keeps 25,000 lines to a few writes.
            if (ReferenceEquals(output, Console.Out)) _stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        }

        public void WriteResult(object id, ClassificationResult result)
        {
            _writer.WriteStartObject();
            WriteId(id);
            _writer.WriteStartArray("labels");
            foreach (var label in result.Labels) _writer.WriteStringValue(label);
            _writer.WriteEndArray();
            _writer.WriteStartObject("scores");
            foreach (var label in Labels.All) _writer.WriteNumber(label, result.Score(label));
            _writer.WriteEndObject();
            _writer.WriteStartArray("evidence");
            foreach (var evidence in result.Evidence)
            {
                _writer.WriteStartObject();
                _writer.WriteString("label", evidence.Label);
                _writer.WriteString("phrase", evidence.Phrase);
                _writer.WriteNumber("weight", evidence.Weight);
                _writer.WriteEndObject();
            }
            _writer.WriteEndArray();
            _writer.WriteEndObject();
            EndLine();
        }

        public void WriteError(object id, string error)
        {
            _writer.WriteStartObject();
            WriteId(id);
            _writer.WriteString("error", error);
            _writer.WriteEndObject();
            EndLine();
        }

        private void WriteId(object id)
        {
            switch (id)
            {
                case string s: _writer.WriteString("id", s); break;
                case RawNumber n: _writer.WritePropertyName("id"); _writer.WriteRawValue(n.Json, skipInputValidation: true); break;
                case int i: _writer.WriteNumber("id", i); break;
                default: _writer.WriteString("id", id.ToString()); break;
            }
        }

        private void EndLine()
        {
            _writer.Flush();
            var bytes = _buffer.WrittenSpan;
            if (_stdout is not null)
            {
                _stdout.Write(bytes);
                _stdout.WriteByte((byte)'\n');
            }
            else
            {
                var needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
                if (_chars.Length < needed) _chars = new char[Math.Max(needed, _chars.Length * 2)];
                var count = Encoding.UTF8.GetChars(bytes, _chars);
                _text.Write(_chars, 0, count);
                _text.Write('\n');
            }
            _buffer.ResetWrittenCount();
            _writer.Reset();
        }

        public void Flush()
        {
            _stdout?.Flush();
            _text.Flush();
        }

        public void Dispose()
        {
            // Standard output stays open for whatever prints after this command.
            Flush();
            _writer.Dispose();
        }
    }
}
