namespace SolidarityTracker.Digests;

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
