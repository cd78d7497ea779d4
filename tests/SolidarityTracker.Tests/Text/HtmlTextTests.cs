using SolidarityTracker.Text;

namespace SolidarityTracker.Tests.Text;

/// <summary>The one HTML-to-text of Mastodon content and feed summaries.</summary>
public sealed class HtmlTextTests
{
    [Theory]
    // Feed summaries
    [InlineData("<p>Visitation is <b>Friday</b>.</p>", "Visitation is Friday.")]
    [InlineData("Fish &amp; chips &lt;3 &#8211; &quot;ok&quot;", "Fish & chips <3 – \"ok\"")]
    [InlineData("<p>One</p><p>Two</p>", "One\n\nTwo")]
    [InlineData("line<br>break<br/>again", "line\nbreak\nagain")]
    [InlineData("See <a href=\"https://a.example/route?x=1&amp;y=2\">the route</a>.", "See the route (https://a.example/route?x=1&y=2).")]
    [InlineData("<a href=\"https://a.example/x\">https://a.example/x</a>", "https://a.example/x")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>", "click")]
    [InlineData("<script>alert('x')</script><style>p{}</style>Hello<!-- hidden -->", "Hello")]
    [InlineData("Escaped &lt;b&gt;tag&lt;/b&gt; stays text", "Escaped <b>tag</b> stays text")]
    [InlineData("  lots   of\t spaces&nbsp;here ", "lots of spaces here")]
    [InlineData("Plain text\nwith its own lines", "Plain text\nwith its own lines")]
    [InlineData("<ul><li>Road closed</li><li>Detour on 5th</li></ul>", "Road closed\n\nDetour on 5th")]
    // Mastodon statuses: a paragraph break is the blank line the author typed, a <br> the line break
    [InlineData("<p>One</p><p>Two<br>Three<br/>Four</p>", "One\n\nTwo\nThree\nFour")]
    [InlineData("<p>Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt; &#8220;quoted&#8221; caf&eacute;</p>", "Fish & chips <b>not bold</b> \u201cquoted\u201d caf\u00e9")]
    [InlineData("<p>See <a href=\"https://example.org/a/b?c=d&amp;e=f\" rel=\"nofollow noopener\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">example.org/a/b</span><span class=\"invisible\">?c=d&amp;e=f</span></a> now</p>", "See https://example.org/a/b?c=d&e=f now")]
    [InlineData("<p>Read <a href=\"https://example.org/statement\">the statement</a>.</p>", "Read the statement (https://example.org/statement).")]
    [InlineData("<p><a href=\"javascript:alert(1)\">click</a></p>", "click")]
    [InlineData("<p>Tagged <a href=\"https://police.example/tags/BlueLivesMatter\" class=\"mention hashtag\" rel=\"tag\">#<span>BlueLivesMatter</span></a></p>", "Tagged #BlueLivesMatter")]
    [InlineData("<p><span class=\"h-card\"><a href=\"https://police.example/@chief\" class=\"u-url mention\">@<span>chief</span></a></span> thank you</p>", "@chief thank you")]
    [InlineData("<p>Hi</p><script>alert('x')</script><style>p{}</style>", "Hi")]
    [InlineData("<p>  spaced \n   out  </p>", "spaced out")]
    [InlineData("<p>a &amp;amp; b</p>", "a &amp; b")]
    [InlineData("", "")]
    public void Html_becomes_the_text_a_reader_sees_with_link_urls_kept(string html, string expected)
    {
        Assert.Equal(expected, HtmlText.ToPlainText(html));
    }
}
