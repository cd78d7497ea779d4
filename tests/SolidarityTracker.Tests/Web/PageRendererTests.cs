using SolidarityTracker.Configuration;
using SolidarityTracker.Tests.Support;
using SolidarityTracker.Web;

namespace SolidarityTracker.Tests.Web;

/// <summary>The dashboard's page renderer on the shipped layout and a page template of the test's own.</summary>
public sealed class PageRendererTests
{
    [Fact]
    public void A_kept_body_is_rendered_once_per_key_without_any_visitors_form_token_while_the_layout_carries_each_ones_own()
    {
        using var dir = new TestDirectory();
        dir.Write("overrides/web/probe.html.sbn", "<p id=\"probe\">{{ value | html.escape }} [{{ page.csrf }}]</p>");
        var settings = new TrackerSettings(new TrackerOptions(), new SourcesOptions(), new PollingOptions(), new DigestOptions { Templates = dir.File("overrides") }, TimeZoneInfo.Utc);
        var renderer = new PageRenderer(settings, RepositoryRoot.File("templates"));
        var built = 0;
        Func<object> Model(string value) => () => { built++; return new { value }; };
        var key = new object();

        var alice = renderer.RenderKept("probe", "Probe", key, Model("first"), new PageChrome("incidents", true, true, "token-of-alice"));
        var bob = renderer.RenderKept("probe", "Probe", key, Model("second"), new PageChrome("incidents", true, true, "token-of-bob"));

        Assert.Equal(1, built);
        Assert.Contains("<p id=\"probe\">first []</p>", alice);
        Assert.Contains("<p id=\"probe\">first []</p>", bob);
        Assert.Contains("value=\"token-of-alice\"", alice);
        Assert.Contains("value=\"token-of-bob\"", bob);
        Assert.DoesNotContain("token-of-alice", bob);

        var loggedOut = renderer.RenderKept("probe", "Probe", key, Model("third"), new PageChrome("incidents", true, false, "token-of-carol"));
        var otherKey = renderer.RenderKept("probe", "Probe", new object(), Model("fourth"), new PageChrome("incidents", true, true, "token-of-dave"));
        Assert.Equal(3, built);
        Assert.Contains("third []", loggedOut);
        Assert.Contains("fourth []", otherKey);
    }
}
