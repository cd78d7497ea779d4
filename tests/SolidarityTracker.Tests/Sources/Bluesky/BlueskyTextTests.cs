using System.Text.Json;
using SolidarityTracker.Sources.Bluesky;

namespace SolidarityTracker.Tests.Sources.Bluesky;

public sealed class BlueskyTextTests
{
    [Fact]
    public void Link_facets_put_the_full_url_in_place_of_the_shortened_text_counting_utf8_bytes()
    {
        // "💙 " is 5 bytes: the facet's range counts bytes, not characters.
        using var record = JsonDocument.Parse("""
            {"text":"💙 example.org/very/lo… and more",
             "facets":[{"index":{"byteStart":5,"byteEnd":27},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.org/very/long/path"}]}]}
            """);

        Assert.Equal("💙 https://example.org/very/long/path and more", BlueskySource.ExpandLinks(record.RootElement.GetProperty("text").GetString()!, record.RootElement));
    }

    [Fact]
    public void Facets_that_are_not_http_links_or_out_of_range_leave_the_text_alone()
    {
        using var record = JsonDocument.Parse("""
            {"text":"hello @someone",
             "facets":[{"index":{"byteStart":6,"byteEnd":14},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:abc"}]},
                       {"index":{"byteStart":0,"byteEnd":99},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://x.example"}]},
                       {"index":{"byteStart":0,"byteEnd":5},"features":[{"$type":"app.bsky.richtext.facet#link","uri":"javascript:alert(1)"}]}]}
            """);

        Assert.Equal("hello @someone", BlueskySource.ExpandLinks("hello @someone", record.RootElement));
    }

    [Theory]
    [InlineData("at://did:plc:abc123/app.bsky.feed.post/3kmrv1aaaaa2a", "brpd.bsky.social", "https://bsky.app/profile/brpd.bsky.social/post/3kmrv1aaaaa2a")]
    [InlineData("at://did:plc:abc123/app.bsky.feed.post/3kmrv1aaaaa2a", "handle.invalid", "https://bsky.app/profile/did:plc:abc123/post/3kmrv1aaaaa2a")]
    [InlineData("at://did:plc:abc123/app.bsky.feed.repost/3kmrv1aaaaa2a", "brpd.bsky.social", null)]
    [InlineData("at://did:plc:abc123/app.bsky.feed.post/\"><script>", "brpd.bsky.social", null)]
    public void A_post_links_to_its_bsky_app_page_only_when_its_uri_is_a_post(string uri, string handle, string? url)
    {
        Assert.Equal(url, BlueskySource.WebUrl(uri, handle));
    }
}
