using System.Security.Cryptography;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;

namespace SolidarityTracker.Sources.Rss;

/// <summary>
/// RSS 2.0 and Atom 1.0 to posts, via System.ServiceModel.Syndication. The document is read once as XML
/// so each post can keep its item's own XML; the formatter then reads the same tree.
/// </summary>
public static class RssFeedParser
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";

    /// <param name="now">The date given to an undated item (the poll's clock); the system clock when null.</param>
    public static ParsedFeed Parse(byte[] body, Uri feedUrl, string? agencyId, DateTimeOffset? now = null)
    {
        if (body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            throw new SourceException(SourceErrorKind.Malformed, "empty response where a feed was expected");

        XDocument document;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            // No DTDs, no external entities: a feed is untrusted input. Whitespace between elements is dropped:
            // read back through XDocument.CreateReader it would come as text nodes, which the formatters refuse.
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, CloseInput = false, IgnoreWhitespace = true, IgnoreComments = true, IgnoreProcessingInstructions = true });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new SourceException(SourceErrorKind.Malformed, $"not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}: {FirstSentence(ex.Message)})", inner: ex);
        }

        var root = document.Root!;
        SyndicationFeedFormatter formatter;
        List<XElement> itemElements;
        if (root.Name.LocalName == "rss")
        {
            formatter = new Rss20FeedFormatter();
            itemElements = root.Element("channel")?.Elements("item").ToList() ?? [];
        }
        else if (root.Name == Atom + "feed")
        {
            formatter = new Atom10FeedFormatter();
            itemElements = root.Elements(Atom + "entry").ToList();
        }
        else
        {
            throw new SourceException(SourceErrorKind.Malformed, $"not an RSS 2.0 or Atom feed (root element <{root.Name.LocalName}>)");
        }

        // One unreadable date must not lose the whole feed: such an item falls back to its other date or to now.
        var strictDates = formatter.DateTimeParser;
        formatter.DateTimeParser = (XmlDateTimeData data, out DateTimeOffset value) =>
            (strictDates is not null && strictDates(data, out value)) || LenientDate(data.DateTimeString, out value) || Unknown(out value);

        SyndicationFeed feed;
        try
        {
            using var reader = document.CreateReader();
            formatter.ReadFrom(reader);
            feed = formatter.Feed;
        }
        catch (Exception ex) when (ex is XmlException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new SourceException(SourceErrorKind.Malformed, $"not a readable feed ({FirstSentence(ex.Message)})", inner: ex);
        }

        var items = feed.Items.ToList();
        var posts = new List<Post>(items.Count);
        var seen = new HashSet<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var raw = items.Count == itemElements.Count ? itemElements[i] : null;
            var post = ToPost(items[i], raw, feedUrl, agencyId, feed.Language, now ?? DateTimeOffset.UtcNow);
            if (post is not null && seen.Add(post.PostId)) posts.Add(post);
        }
        var image = feed.ImageUrl ?? IconOf(root);
        return new ParsedFeed(
            NullIfEmpty(HtmlText.ToPlainText(feed.Title?.Text)),
            image is not null && WebLink.IsHttp(Absolute(image.OriginalString, feedUrl)) ? Absolute(image.OriginalString, feedUrl)!.AbsoluteUri : null,
            posts);
    }

    private static Post? ToPost(SyndicationItem item, XElement? raw, Uri feedUrl, string? agencyId, string? language, DateTimeOffset now)
    {
        var link = item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate") ?? item.Links.FirstOrDefault();
        var url = link is null ? null : Absolute(link.Uri.OriginalString, link.BaseUri ?? feedUrl);
        var title = HtmlText.ToPlainText(item.Title?.Text);
        var body = Clip(HtmlText.ToPlainText(BodyOf(item, raw)));
        var text = body.Length == 0 || body == title ? title
            : title.Length == 0 || body.StartsWith(title, StringComparison.Ordinal) ? body
            : title + "\n\n" + body;
        if (text.Length == 0 && url is null) return null;

        var published = item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime;
        var created = published != default ? published.ToUniversalTime() : (DateTimeOffset?)null;
        var key = KeyOf(item, url, title, created, feedUrl);
        return new Post
        {
            Platform = Platforms.Rss,
            PostId = key,
            AgencyId = agencyId,
            Account = feedUrl.OriginalString,
            // An undated item is dated when first seen; its key keeps later polls from re-adding it.
            CreatedAt = created ?? now,
            Url = WebLink.IsHttp(url) ? url!.AbsoluteUri : null,
            Text = text.Length > 0 ? text : url!.AbsoluteUri,
            Lang = NullIfEmpty(language?.Trim()),
            RawJson = raw?.ToString(SaveOptions.DisableFormatting),
            EditedAt = item.PublishDate != default && item.LastUpdatedTime > item.PublishDate ? item.LastUpdatedTime.ToUniversalTime() : null,
        };
    }

    /// <summary>
    /// guid / id, then link, then a hash of title and date. An id that is not globally unique on its own
    /// (a bare "1234", as some CMSs write) is qualified by the feed URL: (platform, post_id) is the key of
    /// every post, and two agencies' item 1234 must not overwrite each other.
    /// </summary>
    private static string KeyOf(SyndicationItem item, Uri? url, string title, DateTimeOffset? created, Uri feedUrl)
    {
        var id = item.Id?.Trim();
        if (!string.IsNullOrEmpty(id))
            return Uri.TryCreate(id, UriKind.Absolute, out _) || id.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || id.StartsWith("tag:", StringComparison.OrdinalIgnoreCase)
                ? id
                : $"{feedUrl.OriginalString}#{id}";
        if (url is not null) return url.AbsoluteUri;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{feedUrl.OriginalString}\n{title}\n{created?.ToString("O", CultureInfo.InvariantCulture)}"));
        return $"{feedUrl.OriginalString}#sha256:{Convert.ToHexStringLower(digest)[..32]}";
    }

    /// <summary>The summary when there is one (RSS description, Atom summary), else the full content.</summary>
    private static string? BodyOf(SyndicationItem item, XElement? raw)
    {
        if (item.Summary is { Text.Length: > 0 } summary) return summary.Text;
        if (item.Content is TextSyndicationContent { Text.Length: > 0 } content) return content.Text;
        if (item.Content is XmlSyndicationContent xml)
        {
            using var reader = xml.GetReaderAtContent();
            return reader.ReadInnerXml();
        }
        return raw?.Element(Content + "encoded")?.Value;
    }

    private static Uri? IconOf(XElement root) =>
        root.Element(Atom + "icon")?.Value is { Length: > 0 } icon && Uri.TryCreate(icon.Trim(), UriKind.RelativeOrAbsolute, out var uri) ? uri : null;

    private static Uri? Absolute(string? value, Uri baseUri)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var absolute) && absolute.Scheme != Uri.UriSchemeFile) return absolute;
        return Uri.TryCreate(baseUri, value.Trim(), out var resolved) ? resolved : null;
    }


    private static readonly string[] DateFormats =
    [
        "ddd, d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss zzz", "ddd, d MMM yyyy HH:mm zzz", "ddd, d MMM yyyy HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>Dates as feeds really write them: RFC 822 with named zones, ISO 8601 in RSS, no zone at all (taken as UTC).</summary>
    internal static bool LenientDate(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        foreach (var (zone, offset) in NamedZones)
            if (s.EndsWith(" " + zone, StringComparison.OrdinalIgnoreCase)) { s = s[..^zone.Length] + offset; break; }
        const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, styles, out value)
            || DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, styles, out value);
    }

    private static bool Unknown(out DateTimeOffset value)
    {
        value = default;
        return true;
    }

    private static readonly (string Zone, string Offset)[] NamedZones =
    [
        ("UT", "+00:00"), ("GMT", "+00:00"), ("UTC", "+00:00"), ("Z", "+00:00"),
        ("EST", "-05:00"), ("EDT", "-04:00"), ("CST", "-06:00"), ("CDT", "-05:00"),
        ("MST", "-07:00"), ("MDT", "-06:00"), ("PST", "-08:00"), ("PDT", "-07:00"),
    ];

    /// <summary>A post is what an agency said, not its whole web page: a full article in content:encoded is cut.</summary>
    public const int MaxBodyChars = 10_000;

    private static string Clip(string text) => text.Length <= MaxBodyChars ? text : text[..(MaxBodyChars - 1)].TrimEnd() + "…";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.');
}
