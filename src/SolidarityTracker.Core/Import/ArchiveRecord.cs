namespace SolidarityTracker.Import;

/// <summary>
/// What one record of an archive gave: a post (with the agency name the file gave, if any), or why the
/// record at that line could not be read. Readers yield these one by one so a file streams in constant memory.
/// </summary>
internal readonly record struct ArchiveRecord(int Line, Post? Post, string? AgencyName, string? Error)
{
    public static ArchiveRecord Ok(int line, Post post, string? agencyName = null) => new(line, post, agencyName, null);

    public static ArchiveRecord Bad(int line, string error) => new(line, null, null, error);
}
