namespace SolidarityTracker.Digests;

public sealed class DigestLabelSection
{
    public required string Name { get; init; }
    public string Title => DigestModelBuilder.LabelLooks[Name].Title;
    public string Color => DigestModelBuilder.LabelLooks[Name].Color;
    public required int Count { get; init; }
    public required int AgencyCount { get; init; }
    /// <summary>
    /// The agencies with posts shown (Digest:MaxPostsPerSection at most, spread over as many agencies as it reaches,
    /// one post each before anyone's second); Count and AgencyCount stay exact.
    /// </summary>
    public required IReadOnlyList<DigestAgencyPosts> Agencies { get; init; }
    /// <summary>Posts shown in Agencies.</summary>
    public int Shown { get; init; }
    /// <summary>Posts of this label left out of Agencies (Count - Shown).</summary>
    public int More { get; init; }
    /// <summary>Agencies with posts of this label left out of Agencies (AgencyCount - Agencies.size).</summary>
    public int MoreAgencies { get; init; }
    /// <summary>The command line that exports every post of this section (the day and the label), as CSV.</summary>
    public string ExportCommand { get; init; } = "";
    /// <summary>The command line that renders the roundup of this section (the day and the label), as HTML.</summary>
    public string RoundupCommand { get; init; } = "";
    /// <summary>The dashboard's search for this section (/search?from=…&amp;to=…&amp;label=…) when Web:Enabled, else null. Safe for href once escaped.</summary>
    public string? SearchUrl { get; init; }
}
