namespace SolidarityTracker.Digests;

// What a template sees, as `digest`. Scriban's default member renamer turns these names into snake_case
// (LabelSections -> label_sections). docs/digest-template-model.md documents every member; keep it in step.
// Strings are raw (untrusted for anything that came from a platform) unless their name ends in _html.

public sealed class DigestModel
{
    public required string Date { get; init; }
    public required string DateLong { get; init; }
    public required string PreviousDate { get; init; }
    public required string TimeZone { get; init; }
    /// <summary>Length of the local day: 24, or 23/25 on daylight-saving days.</summary>
    public required int Hours { get; init; }
    public required string FromUtc { get; init; }
    public required string ToUtc { get; init; }
    /// <summary>"UTC-04:00": what the day's local times (HH:mm) are; on a clock-change day "UTC-04:00, then UTC-05:00".</summary>
    public required string UtcOffset { get; init; }
    /// <summary>Local "yyyy-MM-dd HH:mm ±hh:mm".</summary>
    public required string GeneratedAt { get; init; }
    public required string Title { get; init; }
    public required bool HasPosts { get; init; }
    public required DigestSummary Summary { get; init; }
    public required IReadOnlyList<DigestIncident> Incidents { get; init; }
    /// <summary>One per label that has posts that day, in the order of Labels.All.</summary>
    public required IReadOnlyList<DigestLabelSection> LabelSections { get; init; }
    public required IReadOnlyList<DigestMention> TopPlaces { get; init; }
    public required IReadOnlyList<DigestMention> TopAgencies { get; init; }
    public required IReadOnlyList<DigestProfileChange> ProfileChanges { get; init; }
    /// <summary>One per label that has posts, in the order of Labels.All.</summary>
    public required IReadOnlyList<DigestChart> Charts { get; init; }
    public required IReadOnlyList<DigestFailingAccount> FailingAccounts { get; init; }
}
