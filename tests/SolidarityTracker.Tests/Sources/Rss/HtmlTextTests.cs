using SolidarityTracker.Sources.Rss;

namespace SolidarityTracker.Tests.Sources.Rss;

public sealed class HtmlTextTests
{
    [Theory]
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
    public void Html_becomes_plain_text_with_link_urls_kept(string html, string expected)
    {
        Assert.Equal(expected, HtmlText.ToPlainText(html));
    }
}
