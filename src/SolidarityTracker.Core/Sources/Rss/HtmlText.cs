using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SolidarityTracker.Sources.Rss;

/// <summary>
/// Feed summaries are HTML; posts are plain text. Tags go, entities are decoded, and a link keeps its
/// URL as text ("Funeral details (https://…)") because the link is often the whole point of the post.
/// </summary>
public static partial class HtmlText
{
    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        var text = DropBlocks().Replace(html, " ");
        text = Comments().Replace(text, " ");
        text = Anchors().Replace(text, KeepLink);
        text = LineBreaks().Replace(text, "\n");
        text = Separators().Replace(text, " ");
        // Inline tags (b, em, span, a without href) vanish without a space: "<b>Friday</b>." stays "Friday.".
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        return Tidy(text);
    }

    private static string KeepLink(Match match)
    {
        var href = WebUtility.HtmlDecode(match.Groups["href"].Value).Trim();
        var inner = Tidy(WebUtility.HtmlDecode(Tags().Replace(match.Groups["inner"].Value, "")));
        if (!href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return WebUtility.HtmlEncode(inner);
        if (inner.Length == 0 || inner == href || href.EndsWith(inner.TrimEnd('.', '…'), StringComparison.OrdinalIgnoreCase) || inner.Contains(href, StringComparison.OrdinalIgnoreCase))
            return WebUtility.HtmlEncode(href);
        // Re-encode so the decode that follows leaves the URL as it was.
        return WebUtility.HtmlEncode(inner) + " (" + WebUtility.HtmlEncode(href) + ")";
    }

    /// <summary>Collapses runs of spaces, keeps at most one blank line between paragraphs.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Replace('\u00a0', ' ').Replace("\r", "").Split('\n')
            .Select(l => Spaces().Replace(l, " ").Trim());
        var builder = new StringBuilder();
        var blank = false;
        foreach (var line in lines)
        {
            if (line.Length == 0) { blank = builder.Length > 0; continue; }
            if (builder.Length > 0) builder.Append(blank ? "\n\n" : "\n");
            builder.Append(line);
            blank = false;
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"<(script|style|head|template)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DropBlocks();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"<a\b[^>]*?\bhref\s*=\s*(?:""(?<href>[^""]*)""|'(?<href>[^']*)'|(?<href>[^\s>]+))[^>]*>(?<inner>.*?)</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Anchors();

    [GeneratedRegex(@"<br\s*/?>|</?(p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"<(td|th|img|hr|input|button)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Separators();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\f\v]+")]
    private static partial Regex Spaces();
}
