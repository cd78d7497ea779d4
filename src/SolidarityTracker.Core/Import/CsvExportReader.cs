using SolidarityTracker.Export;
using CsvHelper;

namespace SolidarityTracker.Import;

/// <summary>CSV with the export columns as its header (column order and extra columns do not matter).</summary>
internal sealed class CsvExportReader : IArchiveReader
{
    /// <summary>A record longer than this is refused: an unclosed quote must not swallow a large file into memory.</summary>
    private const int MaxRecordBytes = 4 * 1024 * 1024;

    public async IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var malformed = new Queue<CsvMalformedRecord>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordBytes,
            // A stray quote spoils one record, not the file: skip it and report it with its line.
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => malformed.Enqueue(record),
        };
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        await csv.ReadHeaderAsync(cancellationToken);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
        if (header.Count == 0) yield break;
        var missing = new[] { "platform", "post_id", "created_at", "text" }.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new BadInputException($"{file}:1: the CSV header lacks {string.Join(", ", missing)} (expected the export columns: {string.Join(", ", ExportColumns.All)})");

        while (true)
        {
            bool more;
            CsvFormatException? fatal = null;
            try
            {
                more = await csv.ReadAsync(cancellationToken);
            }
            catch (CsvFormatException ex)
            {
                more = false;
                fatal = ex;
            }
            if (fatal is not null)
            {
                // Past a record too large to buffer nothing can be trusted: report it and stop.
                while (malformed.TryDequeue(out var m)) yield return Bad(m);
                yield return ArchiveRecord.Bad((int)fatal.LineNumber, $"unreadable CSV ({fatal.Message.Split('\n')[0].Trim().TrimEnd('.')})");
                yield break;
            }
            while (malformed.TryDequeue(out var m))
                if (m.Skipped) yield return Bad(m);
            if (!more) yield break;

            var line = (int)csv.LineNumber;
            string? Field(string name) =>
                csv.TryGetFieldIndex(name, out var index) && index < csv.FieldCount && csv.GetString(index) is { Length: > 0 } value ? value : null;
            if (ExportColumns.All.All(c => Field(c) is null)) continue;
            yield return ExportRow.ToRecord(line, Field, raw: null);
        }
    }

    private static ArchiveRecord Bad(CsvMalformedRecord record) =>
        ArchiveRecord.Bad((int)record.LineNumber, $"malformed CSV record ({record.Reason switch
        {
            CsvMalformedReason.StrayQuote => "a stray quote in an unquoted field",
            CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
            CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
            CsvMalformedReason.FieldCountMismatch => "wrong number of fields",
            var other => other.ToString(),
        }})");
}
