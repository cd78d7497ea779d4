using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Sources.Archives;

/// <summary>Placeholder until archive import lands: backfills posts from a file, classified, safe to repeat.</summary>
public sealed class ArchiveImporter(PostStore posts, IPostClassifier classifier, TrackerSettings settings, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Formats = ["jsonl", "csv", "twarc2", "x-archive"];

    public Task<ImportReport> ImportAsync(string file, string? format, string? agencyId, CancellationToken cancellationToken = default)
    {
        _ = (posts, classifier, settings, time);
        throw new NotImplementedException("import is not available in this build");
    }
}

/// <summary>What an import did: posts added, posts updated (edited text), lines read, and each bad line as "file:line: why".</summary>
public sealed record ImportReport(string File, string Format, int Lines, int Added, int Updated, int Unchanged, IReadOnlyList<string> Errors);
