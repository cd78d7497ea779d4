using SolidarityTracker.Sources.Mastodon;

namespace SolidarityTracker.Tests.Sources.Mastodon;

public sealed class MastodonHtmlTests
{
    [Theory]
    [InlineData("<p>One</p><p>Two<br>Three<br/>Four</p>", "One\nTwo\nThree\nFour")]
    [InlineData("<p>Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt; &#8220;quoted&#8221; caf&eacute;</p>", "Fish & chips <b>not bold</b> \u201cquoted\u201d caf\u00e9")]
    [InlineData("<p>See <a href=\"https://example.org/a/b?c=d&amp;e=f\" rel=\"nofollow noopener\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">example.org/a/b</span><span class=\"invisible\">?c=d&amp;e=f</span></a> now</p>", "See https://example.org/a/b?c=d&e=f now")]
    [InlineData("<p>Read <a href=\"https://example.org/statement\">the statement</a>.</p>", "Read the statement (https://example.org/statement).")]
    [InlineData("<p><a href=\"javascript:alert(1)\">click</a></p>", "click")]
    [InlineData("<p>Tagged <a href=\"https://police.example/tags/BlueLivesMatter\" class=\"mention hashtag\" rel=\"tag\">#<span>BlueLivesMatter</span></a></p>", "Tagged #BlueLivesMatter")]
    [InlineData("<p>Hi</p><script>alert('x')</script><style>p{}</style>", "Hi")]
    [InlineData("<p>  spaced \n   out  </p>", "spaced out")]
    [InlineData("", "")]
    public void Html_content_becomes_plain_text_with_links_kept_as_their_urls(string html, string text)
    {
        Assert.Equal(text, MastodonHtml.ToText(html));
    }
}
