using SolidarityTracker.Configuration;

namespace SolidarityTracker.Digests;

/// <summary>Placeholder until the digest lands: builds the digest of a local day from storage, renders it, delivers it.</summary>
public sealed class DigestService(TrackerSettings settings)
{
    /// <summary>Renders the digest of <see cref="DigestRequest.Date"/> in the requested formats into files (and mails it with Send).</summary>
    public Task<DigestOutcome> RunAsync(DigestRequest request, CancellationToken cancellationToken = default)
    {
        _ = settings;
        throw new NotImplementedException("digest rendering is not available in this build");
    }

    /// <summary>Parses every template (shipped and overrides); a broken one throws BadInputException with file:line:col.</summary>
    public IReadOnlyList<string> ValidateTemplates() => [];
}

public sealed record DigestRequest(DateOnly Date, IReadOnlyList<string>? Formats = null, string? OutputDirectory = null, bool Send = false);

public sealed record DigestOutcome(DateOnly Date, IReadOnlyList<string> Files, int Posts, IReadOnlyDictionary<string, int> LabelCounts, bool Sent);
