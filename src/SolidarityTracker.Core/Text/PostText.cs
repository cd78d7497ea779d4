using System.Text.RegularExpressions;

namespace SolidarityTracker.Text;

/// <summary>Post text is untrusted: the escapes every output format needs, and the one rule for links (http/https only).</summary>
public static partial class PostText
{
    public static string Html(string? text) => text is null ? "" : WebUtility.HtmlEncode(text);

    [GeneratedRegex(@"https?://[^\s<>""'`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    /// <summary>HTML-escaped text with its http/https URLs as links; any other scheme (javascript:, data:) stays escaped text.</summary>
    public static string HtmlWithLinks(string text)
    {
        var builder = new StringBuilder(text.Length + 32);
        var at = 0;
        foreach (Match match in UrlPattern().Matches(text))
        {
            var url = match.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']');
            if (!WebLink.IsHttp(url)) continue;
            AppendEscaped(builder, text[at..match.Index]);
            var escaped = WebUtility.HtmlEncode(url);
            builder.Append("<a href=\"").Append(escaped).Append("\" style=\"color:inherit;overflow-wrap:anywhere\">").Append(escaped).Append("</a>");
            at = match.Index + url.Length;
        }
        AppendEscaped(builder, text[at..]);
        return builder.ToString();
    }

    // Line breaks in a post are part of how it reads; everything else is escaped text.
    private static void AppendEscaped(StringBuilder builder, string text)
    {
        var escaped = WebUtility.HtmlEncode(text);
        builder.Append(escaped.Contains('\n') ? escaped.Replace("\r\n", "\n").Replace("\n", "<br>") : escaped);
    }

    /// <summary>
    /// Backslash-escapes what Markdown gives meaning to inside a line (emphasis, code, links, tables, HTML),
    /// and block markers (#, -, +, >, 1.) at the start, so post text stays text. Newlines fold to spaces.
    /// </summary>
    public static string Markdown(string? text)
    {
        var plain = Plain(text);
        if (plain.Length == 0) return "";
        var builder = new StringBuilder(plain.Length + 16);
        if (plain[0] is '#' or '-' or '+' or '=') builder.Append('\\');
        else if (LeadingOrderedMarker().Match(plain) is { Success: true } marker)
        {
            builder.Append(plain, 0, marker.Length - 1).Append('\\');
            plain = plain[(marker.Length - 1)..];
        }
        foreach (var c in plain)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '!':
                    builder.Append('\\').Append(c);
                    break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '&': builder.Append("&amp;"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>A link target for Markdown: only http(s), with the characters that end a link destination percent-encoded.</summary>
    public static string MarkdownUrl(string? url) =>
        WebLink.SafeLink(url) is { } safe ? safe.Replace("(", "%28").Replace(")", "%29").Replace("<", "%3C").Replace(">", "%3E").Replace(" ", "%20") : "";

    [GeneratedRegex(@"^\d+[.)]")]
    private static partial Regex LeadingOrderedMarker();

    /// <summary>One line of plain text: newlines and runs of spaces folded.</summary>
    public static string Plain(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var folded = true;
        for (var i = 0; i < text.Length && folded; i++)
            if (char.IsWhiteSpace(text[i]) && (text[i] != ' ' || (i + 1 < text.Length && char.IsWhiteSpace(text[i + 1])))) folded = false;
        if (folded) return text.Trim();
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && builder.Length > 0) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>About <paramref name="length"/> characters, cut at a word and marked with an ellipsis.</summary>
    public static string Excerpt(string text, int length = 280)
    {
        var plain = Plain(text);
        if (plain.Length <= length) return plain;
        var cut = plain.LastIndexOf(' ', length);
        if (cut < length / 2) cut = length;
        return plain[..cut].TrimEnd() + "…";
    }
}
