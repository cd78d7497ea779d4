namespace SolidarityTracker.Digests;

public sealed class DigestIncident
{
    public required string Title { get; init; }
    /// <summary>officer, hashtag, agency, place or mention: what the title is.</summary>
    public required string Kind { get; init; }
    /// <summary>Other names the same posts use (a hashtag, a place, an agency).</summary>
    public required IReadOnlyList<string> Aliases { get; init; }
    public required int PostCount { get; init; }
    public required int AgencyCount { get; init; }
    public required IReadOnlyList<DigestAgencyRef> Agencies { get; init; }
    public required IReadOnlyList<DigestLabelCount> Labels { get; init; }
    public required DigestPost First { get; init; }
    public required DigestPost Latest { get; init; }
    public required IReadOnlyList<DigestPost> Quotes { get; init; }
    /// <summary>The reference that named it (officer:…, place:…, agency:…): the same key on the same day is the same incident.</summary>
    public string Key { get; init; } = "";
    /// <summary>The stored ids of every post in it, oldest first.</summary>
    public IReadOnlyList<long> PostIds { get; init; } = [];
}
