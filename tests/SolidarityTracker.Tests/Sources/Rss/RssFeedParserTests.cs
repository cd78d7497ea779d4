using System.Text;
using SolidarityTracker.Sources;
using SolidarityTracker.Sources.Rss;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.Rss;

/// <summary>Feeds to posts: keys, text, links and dates as real feeds write them.</summary>
public sealed class RssFeedParserTests
{
    private static readonly Uri FeedUrl = new("https://agency.example/feed.xml");

    private static ParsedFeed Parse(string xml) => RssFeedParser.Parse(Encoding.UTF8.GetBytes(xml), FeedUrl, "agency");

    private static string Rss(string items) => $"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://agency.example/</link><description>d</description>{items}</channel></rss>""";

    [Fact]
    public void Atom_entries_are_keyed_by_id_with_title_and_summary_as_text()
    {
        var feed = RssFeedParser.Parse(Encoding.UTF8.GetBytes(FeedServer.Render(File.ReadAllText(FeedServer.TestData("baton-rouge.atom")), DateTimeOffset.UtcNow)), FeedUrl, "br");

        Assert.Equal("Baton Rouge Police Department", feed.Title);
        Assert.Equal("https://brpd.example/images/logo-black-band.png", feed.ImageUrl);
        var first = feed.Posts[0];
        Assert.Equal("tag:brpd.example,2016:news/101", first.PostId);
        Assert.Equal("Our hearts are with Dallas\n\nWe stand with our brothers and sisters in blue & with their families.", first.Text);
        Assert.Equal("https://brpd.example/news/101", first.Url);
        Assert.Equal("en", first.Lang);
        Assert.Contains("<entry", first.RawJson);
        // An entry with only <updated> is dated by it.
        Assert.True(feed.Posts[1].CreatedAt > DateTimeOffset.UtcNow.AddHours(-3));
    }

    [Fact]
    public void A_bare_guid_is_qualified_by_the_feed_url_so_two_agencies_items_cannot_collide()
    {
        var feed = Parse(Rss("<item><title>A</title><guid isPermaLink=\"false\">1234</guid><pubDate>Sun, 17 Jul 2016 14:05:00 GMT</pubDate></item>"));

        Assert.Equal("https://agency.example/feed.xml#1234", Assert.Single(feed.Posts).PostId);
    }

    [Fact]
    public void Only_http_and_https_links_become_the_post_url()
    {
        var feed = Parse(Rss("""
            <item><title>A</title><link>javascript:alert(1)</link><guid>urn:a</guid></item>
            <item><title>B</title><link>/news/b</link><guid>urn:b</guid></item>
            """));

        Assert.Null(feed.Posts[0].Url);
        Assert.Equal("https://agency.example/news/b", feed.Posts[1].Url);
    }

    [Theory]
    [InlineData("Sun, 17 Jul 2016 14:05:00 GMT", "2016-07-17T14:05:00Z")]
    [InlineData("Sun, 17 Jul 2016 09:05:00 CDT", "2016-07-17T14:05:00Z")]
    [InlineData("Sun, 17 Jul 2016 10:05:00 -0400", "2016-07-17T14:05:00Z")]
    [InlineData("2016-07-17T14:05:00Z", "2016-07-17T14:05:00Z")]
    [InlineData("2016-07-17 14:05:00", "2016-07-17T14:05:00Z")]
    public void Dates_are_read_as_feeds_write_them_and_kept_in_utc(string written, string expected)
    {
        var feed = Parse(Rss($"<item><title>A</title><guid>urn:a</guid><pubDate>{written}</pubDate></item>"));

        var post = Assert.Single(feed.Posts);
        Assert.Equal(DateTimeOffset.Parse(expected), post.CreatedAt);
        Assert.Equal(TimeSpan.Zero, post.CreatedAt.Offset);
    }

    [Fact]
    public void An_unreadable_date_loses_only_that_date_not_the_feed()
    {
        var feed = Parse(Rss("<item><title>A</title><guid>urn:a</guid><pubDate>the day after tomorrow</pubDate></item><item><title>B</title><guid>urn:b</guid><pubDate>Sun, 17 Jul 2016 14:05:00 GMT</pubDate></item>"));

        Assert.Equal(2, feed.Posts.Count);
        Assert.Equal(new DateTimeOffset(2016, 7, 17, 14, 5, 0, TimeSpan.Zero), feed.Posts[1].CreatedAt);
    }

    [Fact]
    public void Content_encoded_is_the_text_when_there_is_no_description()
    {
        var feed = Parse("""
            <?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://agency.example/</link><description>d</description>
            <item><title>Procession</title><guid>urn:p</guid><content:encoded><![CDATA[<p>Route: <b>Main St</b>.</p>]]></content:encoded></item>
            </channel></rss>
            """);

        Assert.Equal("Procession\n\nRoute: Main St.", Assert.Single(feed.Posts).Text);
    }

    [Fact]
    public void An_rss_1_0_document_is_not_a_feed_this_source_reads()
    {
        var error = Assert.Throws<SourceException>(() => Parse("""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>"""));

        Assert.Equal(SourceErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public void An_external_entity_is_not_resolved()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>T</title><link>https://a.example/</link><description>d</description><item><title>&xxe;</title><guid>urn:x</guid></item></channel></rss>""";

        // Either the item comes without the file's contents or the feed is refused; never the file.
        try
        {
            var feed = Parse(xml);
            Assert.All(feed.Posts, p => Assert.DoesNotContain("root:", p.Text));
        }
        catch (SourceException error)
        {
            Assert.Equal(SourceErrorKind.Malformed, error.Kind);
        }
    }
}
