namespace SolidarityTracker.Import;

/// <summary>One archive format: reads a stream into records.</summary>
internal interface IArchiveReader
{
    IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, CancellationToken cancellationToken);
}
