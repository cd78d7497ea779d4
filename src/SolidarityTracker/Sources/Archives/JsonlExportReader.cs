using System.Runtime.CompilerServices;
using System.Text.Json;

namespace SolidarityTracker.Sources.Archives;

/// <summary>The project's own JSONL: one object a line with the export columns.</summary>
internal sealed class JsonlExportReader : IArchiveReader
{
    public async IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (line, text) in ArchiveLines.ReadAsync(stream, cancellationToken))
        {
            var (document, error) = ArchiveLines.ParseJson(text);
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
                var root = document.RootElement;
                yield return ExportRow.ToRecord(line, name => ArchiveLines.Field(root, name), text);
            }
        }
    }
}
