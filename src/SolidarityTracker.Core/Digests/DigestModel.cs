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

public sealed class DigestSummary
{
    public required int Posts { get; init; }
    public required int Agencies { get; init; }
    public required int PreviousPosts { get; init; }
    /// <summary>"+12", "-3", "±0": posts against the previous local day.</summary>
    public required string PostsChange { get; init; }
    public required int OtherPosts { get; init; }
    public required IReadOnlyList<DigestLabelCount> Labels { get; init; }
    /// <summary>Platforms that posted, most posts first.</summary>
    public required IReadOnlyList<DigestPlatformCount> Platforms { get; init; }
}

public sealed class DigestLabelCount
{
    public required string Name { get; init; }
    public string Title => DigestModelBuilder.LabelLooks[Name].Title;
    public string Color => DigestModelBuilder.LabelLooks[Name].Color;
    public required int Count { get; init; }
    public required int Agencies { get; init; }
    public required int Previous { get; init; }
    public required string Change { get; init; }
}

public sealed class DigestPlatformCount
{
    public required string Name { get; init; }
    public string Title => DigestModelBuilder.PlatformLook(Name).Name;
    public string Icon => DigestModelBuilder.PlatformLook(Name).Icon;
    public required int Count { get; init; }
}

public sealed class DigestPost
{
    public required long Id { get; init; }
    public required string Platform { get; init; }
    /// <summary>The platform's own id of the post (with Platform, the post's key).</summary>
    public string PostId { get; init; } = "";
    public string PlatformName => DigestModelBuilder.PlatformLook(Platform).Name;
    public string PlatformIcon => DigestModelBuilder.PlatformLook(Platform).Icon;
    public required string Account { get; init; }
    public required string AgencyId { get; init; }
    public required string AgencyName { get; init; }
    public string? AgencyState { get; init; }
    /// <summary>Local "HH:mm".</summary>
    public required string Time { get; init; }
    /// <summary>Local ISO 8601 with offset.</summary>
    public required string LocalTime { get; init; }
    public required string CreatedAt { get; init; }
    /// <summary>Untrusted: escape it (html.escape, markdown_escape) or use text_html.</summary>
    public required string Text { get; init; }
    // Computed when a template first asks: the Markdown and text digests never need the HTML, and only quotes need excerpts.
    private string? _textHtml, _excerpt;
    /// <summary>The text HTML-escaped, with its http/https URLs as links: safe to emit as is.</summary>
    public string TextHtml => _textHtml ??= PostText.HtmlWithLinks(Text);
    /// <summary>The text cut to about 280 characters at a word boundary (raw, untrusted).</summary>
    public string Excerpt => _excerpt ??= PostText.Excerpt(Text);
    /// <summary>The post's own URL as stored (untrusted, any scheme).</summary>
    public string? Url { get; init; }
    /// <summary>The URL only when it is http/https; null otherwise. The only URL a template should put in href.</summary>
    public string? Link { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyList<DigestEvidence> Evidence { get; init; }
    /// <summary>"condolence: thoughts and prayers; memorial: mourning band" (raw).</summary>
    public required string EvidenceText { get; init; }
    public required bool IsRepost { get; init; }
    public required bool IsReply { get; init; }
}

public sealed class DigestEvidence
{
    public required string Label { get; init; }
    public required string Phrase { get; init; }
    public required double Weight { get; init; }
}

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

public sealed class DigestAgencyRef
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? State { get; init; }
}

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

public sealed class DigestAgencyPosts
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? State { get; init; }
    /// <summary>The agency's posts of this label that day, exact.</summary>
    public required int PostCount { get; init; }
    /// <summary>The first of them, oldest first, as many as the section's cap left for this agency.</summary>
    public required IReadOnlyList<DigestPost> Posts { get; init; }
    /// <summary>The agency's posts left out (PostCount - Posts.size).</summary>
    public int More { get; init; }
}

public sealed class DigestMention
{
    public required string Name { get; init; }
    public required int Posts { get; init; }
    public required int Agencies { get; init; }
}

/// <summary>The account a row is about (a profile change, a failing account): whose it is and where.</summary>
public abstract class DigestAccount
{
    public required string AgencyId { get; init; }
    public required string AgencyName { get; init; }
    public required string Platform { get; init; }
    /// <summary>"X", "Mastodon", "Bluesky", "News feed", or an archive's own platform name (letters and digits).</summary>
    public string PlatformName => DigestModelBuilder.PlatformLook(Platform).Name;
    public string PlatformIcon => DigestModelBuilder.PlatformLook(Platform).Icon;
    public required string Handle { get; init; }
}

public sealed class DigestProfileChange : DigestAccount
{
    public required string Time { get; init; }
    public required bool NameChanged { get; init; }
    public required bool AvatarChanged { get; init; }
    public string? OldName { get; init; }
    public string? NewName { get; init; }
    /// <summary>The avatar URLs only when http/https (null otherwise): safe for img src.</summary>
    public string? OldAvatar { get; init; }
    public string? NewAvatar { get; init; }
    /// <summary>As stored, any scheme (untrusted).</summary>
    public string? OldAvatarUrl { get; init; }
    public string? NewAvatarUrl { get; init; }
}

public sealed class DigestChart
{
    public required string Label { get; init; }
    public string Title => DigestModelBuilder.LabelLooks[Label].Title;
    public string Color => DigestModelBuilder.LabelLooks[Label].Color;
    public required int Total { get; init; }
    public required int Max { get; init; }
    /// <summary>One character per local hour, ▁ to █.</summary>
    public required string Sparkline { get; init; }
    /// <summary>Local hour (HH) of the busiest hour.</summary>
    public required string PeakHour { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>Baseline y of the bars inside the SVG.</summary>
    public required int Baseline { get; init; }
    public required IReadOnlyList<DigestChartBar> Bars { get; init; }
    /// <summary>Hour labels under the axis, every few hours.</summary>
    public required IReadOnlyList<DigestChartTick> Ticks { get; init; }
}

public sealed class DigestChartBar
{
    public required string Hour { get; init; }
    public required int Count { get; init; }
    public required double X { get; init; }
    public required double Y { get; init; }
    public required double Width { get; init; }
    public required double Height { get; init; }
}

public sealed class DigestChartTick
{
    public required string Text { get; init; }
    public required double X { get; init; }
}

public sealed class DigestFailingAccount : DigestAccount
{
    public string? ErrorKind { get; init; }
    public string? Error { get; init; }
    public required int ConsecutiveFailures { get; init; }
    /// <summary>Local "yyyy-MM-dd HH:mm", or null.</summary>
    public string? LastErrorAt { get; init; }
    /// <summary>Local "yyyy-MM-dd HH:mm" of the last good poll: failing since just after it. Null when never polled successfully.</summary>
    public string? LastSuccessAt { get; init; }
}
