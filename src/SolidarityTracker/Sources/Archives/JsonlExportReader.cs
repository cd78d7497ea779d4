namespace SolidarityTracker.Sources.Archives;

/// <summary>The project's own JSONL: one object a line with the export columns.</summary>
internal sealed class JsonlExportReader : IArchiveReader
{
    public IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, CancellationToken cancellationToken) =>
        ArchiveLines.ReadObjectsAsync(stream, (line, root, text) => [ExportRow.ToRecord(line, name => ArchiveLines.Field(root, name), text)], cancellationToken);
}
