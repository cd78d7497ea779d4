using System.Text.RegularExpressions;

namespace SolidarityTracker.Text;

/// <summary>
/// HTML (a Mastodon status's content, a feed item's summary) as the plain text a reader sees: tags gone, entities
/// decoded once, paragraphs and list items on their own lines with at most one blank line between paragraphs,
/// scripts and styles dropped. Mentions and hashtags stay their text. Any other http/https link keeps its URL
/// ("the statement (https://…)", or just the URL when the visible text is the URL or part of it, as Mastodon
/// shortens links with hidden spans), because the link is often the point of a post; a link of any other scheme
/// is only its text.
/// </summary>
public static partial class HtmlText
{
    [GeneratedRegex(@"<(?<close>/)?(?<name>[a-zA-Z][a-zA-Z0-9]*)(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*)>|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"(?<v>[^"]*)"|'(?<v>[^']*)'|(?<v>[^\s"'>]+))""")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"[ \t\r\n\f]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[ \t\f\v\u00a0]+")]
    private static partial Regex Spaces();

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section", "article",
    };
    private static readonly HashSet<string> Separators = new(StringComparer.Ordinal) { "td", "th", "img", "hr", "input", "button" };
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "script", "style", "head", "template" };

    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        var output = new StringBuilder(html.Length);
        // While inside <a>, text gathers here so the link can be written as its URL or its text.
        StringBuilder? anchorText = null;
        string? anchorHref = null;
        var anchorIsMention = false;
        var dropDepth = 0;
        var position = 0;
        // Text with no markup at all (a plain feed summary) keeps its own line breaks; in HTML a newline is a space.
        var markup = Tag().IsMatch(html);
        foreach (Match tag in Tag().Matches(html))
        {
            AppendText(html[position..tag.Index]);
            position = tag.Index + tag.Length;
            if (!tag.Groups["name"].Success) continue; // a comment
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            var closing = tag.Groups["close"].Success;
            if (Dropped.Contains(name))
            {
                dropDepth = Math.Max(0, dropDepth + (closing ? -1 : 1));
                continue;
            }
            if (dropDepth > 0) continue;
            if (name == "br" || Blocks.Contains(name)) Target().Append('\n');
            else if (Separators.Contains(name)) Target().Append(' ');
            else if (name == "a" && !closing && anchorText is null)
            {
                var attributes = Attributes(tag.Groups["attrs"].Value);
                anchorHref = attributes.GetValueOrDefault("href");
                var cls = " " + attributes.GetValueOrDefault("class", "") + " " + attributes.GetValueOrDefault("rel", "") + " ";
                anchorIsMention = cls.Contains(" mention ") || cls.Contains(" hashtag ") || cls.Contains(" tag ");
                anchorText = new StringBuilder();
            }
            else if (name == "a" && closing && anchorText is not null)
            {
                output.Append(RenderLink(anchorText.ToString(), anchorHref, anchorIsMention));
                anchorText = null;
                anchorHref = null;
            }
            // Any other tag (b, em, span) vanishes without a space: "<b>Friday</b>." stays "Friday.".
        }
        AppendText(html[position..]);
        if (anchorText is not null) output.Append(RenderLink(anchorText.ToString(), anchorHref, anchorIsMention));
        return Tidy(output.ToString());

        StringBuilder Target() => anchorText ?? output;

        void AppendText(string raw)
        {
            if (raw.Length == 0 || dropDepth > 0) return;
            Target().Append(WebUtility.HtmlDecode(markup ? Whitespace().Replace(raw, " ") : raw));
        }
    }

    private static string RenderLink(string text, string? href, bool isMention)
    {
        href = href is null ? null : WebUtility.HtmlDecode(href).Trim();
        var visible = Spaces().Replace(text, " ").Trim();
        if (isMention || !WebLink.IsHttp(href)) return visible;
        var shown = visible.TrimEnd('.', '…').Trim();
        var bare = href!.Replace("https://", "", StringComparison.OrdinalIgnoreCase).Replace("http://", "", StringComparison.OrdinalIgnoreCase);
        if (shown.Length == 0 || href.Contains(shown, StringComparison.OrdinalIgnoreCase) || bare.StartsWith(shown, StringComparison.OrdinalIgnoreCase)
            || shown.Contains(href, StringComparison.OrdinalIgnoreCase))
            return href;
        return $"{visible} ({href})";
    }

    /// <summary>Collapses runs of spaces, keeps at most one blank line between paragraphs.</summary>
    private static string Tidy(string text)
    {
        var builder = new StringBuilder(text.Length);
        var blank = false;
        foreach (var raw in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = Spaces().Replace(raw, " ").Trim();
            if (line.Length == 0) { blank = builder.Length > 0; continue; }
            if (builder.Length > 0) builder.Append(blank ? "\n\n" : "\n");
            builder.Append(line);
            blank = false;
        }
        return builder.ToString();
    }

    private static Dictionary<string, string> Attributes(string attrs)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Attribute().Matches(attrs)) result.TryAdd(m.Groups["name"].Value, m.Groups["v"].Value);
        return result;
    }
}
