using SolidarityTracker.Model;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SolidarityTracker.Sources.Mastodon;

/// <summary>
/// A status's <c>content</c> is HTML. The stored text is what a reader sees: tags stripped, &lt;br&gt; and
/// &lt;/p&gt; as newlines, entities decoded, mentions and hashtags as their text, and other links as their URL
/// (Mastodon shortens a link's visible text with hidden spans, so the href is the honest form).
/// </summary>
public static partial class MastodonHtml
{
    [GeneratedRegex(@"<(?<close>/)?(?<name>[a-zA-Z][a-zA-Z0-9]*)(?<attrs>[^>]*)>|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"(?<v>[^"]*)"|'(?<v>[^']*)'|(?<v>[^\s"'>]+))""")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"[ \t\r\n\f]+")]
    private static partial Regex Whitespace();

    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var output = new StringBuilder(html.Length);
        // While inside <a>, text gathers here so the link can be written as its URL or its text.
        StringBuilder? anchorText = null;
        string? anchorHref = null;
        var anchorIsMention = false;
        var skipDepth = 0;
        var position = 0;
        foreach (Match tag in Tag().Matches(html))
        {
            AppendText(html[position..tag.Index]);
            position = tag.Index + tag.Length;
            if (!tag.Groups["name"].Success) continue; // a comment
            var name = tag.Groups["name"].Value.ToLowerInvariant();
            var closing = tag.Groups["close"].Success;
            switch (name)
            {
                case "script" or "style":
                    skipDepth = Math.Max(0, skipDepth + (closing ? -1 : 1));
                    break;
                case "br":
                    Target().Append('\n');
                    break;
                case "p" when closing:
                    Target().Append('\n');
                    break;
                case "a" when !closing && anchorText is null:
                    var attributes = Attributes(tag.Groups["attrs"].Value);
                    anchorHref = attributes.GetValueOrDefault("href");
                    var cls = " " + attributes.GetValueOrDefault("class", "") + " " + attributes.GetValueOrDefault("rel", "") + " ";
                    anchorIsMention = cls.Contains(" mention ") || cls.Contains(" hashtag ") || cls.Contains(" tag ");
                    anchorText = new StringBuilder();
                    break;
                case "a" when closing && anchorText is not null:
                    output.Append(RenderLink(anchorText.ToString(), anchorHref, anchorIsMention));
                    anchorText = null;
                    anchorHref = null;
                    break;
            }
        }
        AppendText(html[position..]);
        if (anchorText is not null) output.Append(RenderLink(anchorText.ToString(), anchorHref, anchorIsMention));

        var lines = output.ToString().Split('\n').Select(l => l.Trim());
        return string.Join('\n', lines).Trim('\n');

        StringBuilder Target() => anchorText ?? output;

        void AppendText(string raw)
        {
            if (raw.Length == 0 || skipDepth > 0) return;
            Target().Append(WebUtility.HtmlDecode(Whitespace().Replace(raw, " ")));
        }
    }

    private static string RenderLink(string text, string? href, bool isMention)
    {
        href = href is null ? null : WebUtility.HtmlDecode(href).Trim();
        if (isMention || !WebLink.IsHttp(href)) return text;
        var visible = text.Trim().TrimEnd('…').Trim();
        var bare = href!.Replace("https://", "", StringComparison.OrdinalIgnoreCase).Replace("http://", "", StringComparison.OrdinalIgnoreCase);
        if (visible.Length == 0 || href.Contains(visible, StringComparison.OrdinalIgnoreCase) || bare.StartsWith(visible, StringComparison.OrdinalIgnoreCase))
            return href;
        return $"{text} ({href})";
    }

    private static Dictionary<string, string> Attributes(string attrs)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in Attribute().Matches(attrs)) result.TryAdd(m.Groups["name"].Value, m.Groups["v"].Value);
        return result;
    }
}
