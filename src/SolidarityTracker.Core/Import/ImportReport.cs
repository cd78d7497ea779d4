namespace SolidarityTracker.Import;

/// <summary>
/// What an import did: records read (<see cref="Lines"/>: a line of JSONL or CSV, a tweet of a twarc2 page or
/// of tweets.js, a bad line), posts added, posts updated (edited text), posts already stored as they are,
/// and each bad record as "file:line: why".
/// </summary>
public sealed record ImportReport(string File, string Format, int Lines, int Added, int Updated, int Unchanged, IReadOnlyList<string> Errors)
{
    /// <summary>All bad records; <see cref="Errors"/> keeps the first <see cref="ArchiveImporter.MaxErrorsReported"/>.</summary>
    public int BadRecords { get; init; }

    /// <summary>Records that were posts, new or already stored.</summary>
    public int Imported => Added + Updated + Unchanged;
}
