using System.Buffers;
using System.Threading.Channels;
using CsvHelper;
using C = SolidarityTracker.Export.ExportColumns;

namespace SolidarityTracker.Export;

/// <summary>
/// `export`: stored posts as a timeline, oldest first, in CSV, JSON or JSONL. Rows are written one by one as
/// the store streams them, so a million posts take no more memory than ten.
/// </summary>
public sealed class PostExporter(PostStore store)
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "json", "jsonl"];

    /// <summary>Writes every post matching <paramref name="query"/> to <paramref name="output"/>; returns how many.</summary>
    public Task<long> ExportAsync(PostQuery query, string format, TextWriter output, CancellationToken cancellationToken = default) =>
        ExportAsync(query, format, new Sink(output, null), cancellationToken);

    /// <summary>Writes UTF-8 straight to <paramref name="output"/> (a file), without a round trip through UTF-16 text.</summary>
    public Task<long> ExportAsync(PostQuery query, string format, Stream output, CancellationToken cancellationToken = default) =>
        ExportAsync(query, format, new Sink(null, output), cancellationToken);

    /// <summary>Where rows go: text (standard output as the CLI holds it) or bytes (a file).</summary>
    private sealed record Sink(TextWriter? Text, Stream? Bytes);

    private async Task<long> ExportAsync(PostQuery query, string format, Sink output, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var posts = store.ExportRowsAsync(query, stop.Token).GetAsyncEnumerator(stop.Token);
        // Ask for the first row before writing anything: a bad full-text query fails here, with nothing printed.
        bool more;
        try { more = await posts.MoveNextAsync(); }
        catch { await posts.DisposeAsync(); throw; }

        // Reading (SQLite, parsing) and writing (formatting, I/O) overlap on two threads; the bounded channel of
        // small batches keeps memory flat however many rows there are.
        var batches = Channel.CreateBounded<StoredPost[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(async () =>
        {
            try
            {
                var batch = new List<StoredPost>(BatchSize);
                while (more)
                {
                    batch.Add(posts.Current);
                    if (batch.Count == BatchSize)
                    {
                        await batches.Writer.WriteAsync([.. batch], stop.Token);
                        batch.Clear();
                    }
                    more = await posts.MoveNextAsync();
                }
                if (batch.Count > 0) await batches.Writer.WriteAsync([.. batch], stop.Token);
                batches.Writer.Complete();
            }
            catch (Exception ex)
            {
                batches.Writer.TryComplete(ex);
            }
            finally
            {
                await posts.DisposeAsync();
            }
        }, CancellationToken.None);

        long count = 0;
        try
        {
            using IPostRowWriter writer = format switch
            {
                "csv" => new CsvRowWriter(output),
                "json" => new JsonRowWriter(output, array: true),
                "jsonl" => new JsonRowWriter(output, array: false),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "expected csv, json or jsonl"),
            };
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                foreach (var post in batch) writer.Write(post);
                count += batch.Length;
            }
            writer.Complete();
        }
        catch
        {
            // The output failed (a full disk, a closed pipe): stop reading too.
            stop.Cancel();
            await reader;
            throw;
        }
        await reader;
        return count;
    }

    private const int BatchSize = 256;

    /// <summary>One post as an export JSON object (the API's posts are these very objects).</summary>
    public static void WriteObject(Utf8JsonWriter json, StoredPost stored)
    {
        var post = stored.Post;
        var result = stored.Classification;
        json.WriteStartObject();
        json.WriteString(C.Platform, post.Platform);
        json.WriteString(C.PostId, post.PostId);
        json.WriteString(C.AgencyId, post.AgencyId);
        json.WriteString(C.AgencyName, stored.AgencyName);
        json.WriteString(C.Account, post.Account);
        json.WriteString(C.CreatedAt, C.Timestamp(post.CreatedAt));
        json.WriteString(C.Url, post.Url);
        json.WriteString(C.Text, post.Text);
        json.WriteString(C.Labels, string.Join(';', result.Labels));
        json.WriteNumber(C.CondolenceScore, C.Score(result.Score(Labels.Condolence)));
        json.WriteNumber(C.MemorialScore, C.Score(result.Score(Labels.Memorial)));
        json.WriteNumber(C.SafetyReminderScore, C.Score(result.Score(Labels.SafetyReminder)));
        json.WriteBoolean(C.IsRepost, post.IsRepost);
        json.WriteBoolean(C.IsReply, post.IsReply);
        json.WriteString(C.Lang, post.Lang);
        json.WriteEndObject();
    }

    private interface IPostRowWriter : IDisposable
    {
        void Write(StoredPost post);
        void Complete();
    }

    /// <summary>RFC 4180 (comma, double quotes, CRLF) via CsvHelper; text cells made spreadsheet-safe by <see cref="SpreadsheetSafe"/>.</summary>
    private sealed class CsvRowWriter : IPostRowWriter
    {
        private readonly CsvWriter _csv;

        public CsvRowWriter(Sink output)
        {
            _csv = output.Bytes is { } bytes ? SpreadsheetSafe.Writer(bytes) : SpreadsheetSafe.Writer(output.Text!);
            foreach (var name in C.All) _csv.WriteField(name);
            _csv.EndRecord();
        }

        public void Write(StoredPost stored)
        {
            var post = stored.Post;
            var result = stored.Classification;
            _csv.WriteField(post.Platform);
            _csv.WriteField(post.PostId);
            _csv.WriteField(post.AgencyId);
            _csv.WriteField(stored.AgencyName);
            _csv.WriteField(post.Account);
            _csv.WriteField(C.Timestamp(post.CreatedAt));
            _csv.WriteField(post.Url);
            _csv.WriteField(post.Text);
            _csv.WriteField(string.Join(';', result.Labels));
            _csv.WriteField(C.Score(result.Score(Labels.Condolence)), "");
            _csv.WriteField(C.Score(result.Score(Labels.Memorial)), "");
            _csv.WriteField(C.Score(result.Score(Labels.SafetyReminder)), "");
            _csv.WriteField(post.IsRepost);
            _csv.WriteField(post.IsReply);
            _csv.WriteField(post.Lang);
            _csv.EndRecord();
        }

        public void Complete() => _csv.Flush();

        public void Dispose() => _csv.Dispose();
    }

    /// <summary>
    /// One compact object per post from a Utf8JsonWriter; JSONL puts one per line, JSON wraps the same lines in
    /// an array. Ids are JSON strings (X ids exceed 2^53), scores numbers, flags booleans, missing values null.
    /// Output reaches the TextWriter in chunks, so memory stays flat whatever the row count.
    /// </summary>
    private sealed class JsonRowWriter : IPostRowWriter
    {
        private const int ChunkBytes = 1 << 16;
        private readonly Sink _output;
        private readonly bool _array;
        private readonly ArrayBufferWriter<byte> _buffer = new(ChunkBytes * 2);
        private readonly Utf8JsonWriter _json;
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private char[] _chars = new char[ChunkBytes * 2];
        private bool _first = true;

        public JsonRowWriter(Sink output, bool array)
        {
            _output = output;
            _array = array;
            _json = new Utf8JsonWriter(_buffer, SolidarityTracker.Text.Utf8Json.WriterOptions);
        }

        public void Write(StoredPost stored)
        {
            if (_array) Raw(_first ? "[\n"u8 : ",\n"u8);
            _first = false;
            _json.Reset(_buffer);
            WriteObject(_json, stored);
            _json.Flush();
            if (!_array) Raw("\n"u8);
            if (_buffer.WrittenCount >= ChunkBytes) Drain();
        }

        public void Complete()
        {
            if (_array) Raw(_first ? "[]\n"u8 : "\n]\n"u8);
            Drain();
            if (_output.Bytes is { } bytes) bytes.Flush();
            else _output.Text!.Flush();
        }

        private void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

        private void Drain()
        {
            var bytes = _buffer.WrittenSpan;
            if (bytes.Length == 0) return;
            if (_output.Bytes is { } stream)
            {
                stream.Write(bytes);
                _buffer.ResetWrittenCount();
                return;
            }
            var needed = _decoder.GetCharCount(bytes, flush: false);
            if (_chars.Length < needed) _chars = new char[needed];
            var written = _decoder.GetChars(bytes, _chars, flush: false);
            _output.Text!.Write(_chars, 0, written);
            _buffer.ResetWrittenCount();
        }

        public void Dispose() => _json.Dispose();
    }
}
