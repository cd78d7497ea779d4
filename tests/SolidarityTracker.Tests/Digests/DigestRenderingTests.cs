using System.Text.RegularExpressions;
using SolidarityTracker.Configuration;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;
using SolidarityTracker.Text;

namespace SolidarityTracker.Tests.Digests;

public sealed class DigestRenderingTests
{
    private static async Task<(string Html, string Md, string Txt, SolidarityTracker.Digests.DigestOutcome Outcome)> RenderScenarioAsync(DigestWorld world)
    {
        await DigestScenario.SeedAsync(world);
        var outcome = await world.Service().RunAsync(new(DigestScenario.Day));
        string Read(string ext) => File.ReadAllText(Path.Combine(world.OutputDirectory, $"digest-2026-05-13.{ext}"));
        return (Read("html"), Read("md"), Read("txt"), outcome);
    }

    [Fact]
    public async Task Digest_of_a_day_counts_posts_per_label_and_names_agencies_with_links_in_every_format()
    {
        using var world = new DigestWorld();
        var (html, md, txt, outcome) = await RenderScenarioAsync(world);

        Assert.Equal(9, outcome.Posts);
        Assert.Equal(3, outcome.LabelCounts["condolence"]);
        Assert.Equal(4, outcome.LabelCounts["memorial"]);
        Assert.Equal(4, outcome.LabelCounts["safety_reminder"]);
        Assert.Equal(3, outcome.Files.Count);
        Assert.All(outcome.Files, f => Assert.True(File.Exists(f), f));

        foreach (var text in new[] { html, md, txt })
        {
            Assert.Contains("Hamden Police Department", text);
            Assert.Contains("Cedar County Sheriff", text);
            Assert.Contains("Officer Daniel Reyes", text);
        }
        Assert.Contains("href=\"https://police.social/@hamdenpd/1101\"", html);
        Assert.Contains("(<https://police.social/@hamdenpd/1101>)", md);
        Assert.Contains("https://police.social/@hamdenpd/1101", txt);
        // Headline: 9 posts against 2 the day before, 5 agencies.
        Assert.Contains("9 posts (+7 against 2026-05-12) from 5 agencies", txt);
        Assert.Matches(@"Condolences\s+3\s+\(\+3, 3 agencies\)", txt);
        Assert.Matches(@"Memorials\s+4\s+\(\+3, 4 agencies\)", txt);
        // Evidence travels with each post: a hover title in HTML, a line in text.
        Assert.Contains("title=\"condolence: thoughts and prayers\"", html);
        Assert.Contains("why: memorial: mourning band", txt);
        // The arrest report is "other": counted, not listed.
        Assert.DoesNotContain("Elm St burglary", html);
        Assert.Contains("1 other posts not shown", html);
    }

    [Fact]
    public async Task Posts_about_one_loss_form_one_incident_with_its_agencies_first_and_latest_post_and_quotes()
    {
        using var world = new DigestWorld();
        await DigestScenario.SeedAsync(world);
        var model = await world.Service().BuildModelAsync(DigestScenario.Day);

        var incident = Assert.Single(model.Incidents, i => i.Title == "Officer Daniel Reyes");
        Assert.Equal("officer", incident.Kind);
        Assert.Contains("#MillbrookStrong", incident.Aliases);
        Assert.Equal(["Millbrook Police Department", "Hamden Police Department", "Oakmont Police", "Cedar County Sheriff", "River City Police"], incident.Agencies.Select(a => a.Name));
        Assert.Equal("07:05", incident.First.Time);
        // "report anything out of place in Millbrook" is part of it too: the place ties it to the loss.
        Assert.Equal("14:00", incident.Latest.Time);
        Assert.InRange(incident.Quotes.Count, 1, 3);
        Assert.Equal(incident.Quotes.Count, incident.Quotes.Select(q => q.AgencyId).Distinct().Count());
        Assert.Contains(model.TopPlaces, p => p.Name == "Millbrook");
        Assert.Contains(model.TopAgencies, a => a.Name == "Millbrook Police Department");
    }

    [Fact]
    public async Task Hour_by_hour_chart_is_an_inline_svg_in_html_and_a_sparkline_in_text()
    {
        using var world = new DigestWorld();
        var (html, md, txt, _) = await RenderScenarioAsync(world);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html);
        Assert.Equal(3, Regex.Matches(html, "<svg ").Count);
        // Condolences at 08, 09 and 11 local: 24 characters, lifted at those hours only.
        var line = txt.Split('\n').First(l => l.Contains("Condolences 3, busiest"));
        var spark = line.Trim().Split(' ')[0];
        Assert.Equal(24, spark.Length);
        Assert.Equal("▁▁▁▁▁▁▁▁██▁█▁▁▁▁▁▁▁▁▁▁▁▁", spark);
        Assert.Contains(spark, md);
    }

    [Fact]
    public async Task Hostile_post_text_and_a_javascript_link_render_inert_in_html_and_escaped_in_markdown()
    {
        using var world = new DigestWorld();
        var (html, md, _, _) = await RenderScenarioAsync(world);

        Assert.DoesNotContain("<script>document", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.DoesNotMatch(new Regex("href\\s*=\\s*[\"']?\\s*javascript:", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("<script", RegexOptions.IgnoreCase), html);
        Assert.Contains("javascript:alert(2)", html); // as text, not a link
        // Only http/https become href: every href in the file is one.
        foreach (Match href in Regex.Matches(html, "href=\"([^\"]*)\""))
            Assert.StartsWith("http", href.Groups[1].Value);
        foreach (Match src in Regex.Matches(html, "src=\"([^\"]*)\""))
            Assert.StartsWith("https://", src.Groups[1].Value);

        Assert.Contains(@"&lt;script&gt;document.title='pwned'&lt;/script&gt;", md);
        Assert.Contains(@"\[click\](javascript:alert(3))", md);
        Assert.DoesNotContain("(<javascript:", md);
    }

    [Fact]
    public async Task Profile_changes_show_old_and_new_avatar_and_failing_accounts_say_why_and_since_when()
    {
        using var world = new DigestWorld();
        var (html, md, txt, _) = await RenderScenarioAsync(world);

        Assert.Contains("Oakmont Police (in mourning)", html);
        Assert.Contains("<img src=\"https://cdn.example/oakmont-old.png\"", html);
        Assert.Contains("<img src=\"https://cdn.example/oakmont-mourning-band.png\"", html);
        Assert.Contains("name “Oakmont Police” → “Oakmont Police (in mourning)”", md);
        Assert.Contains("Accounts that could not be polled", html);
        Assert.Contains("rate_limited: rate limited until 2026-05-13T23:00:00Z", txt);
        Assert.Contains("3 failed in a row, failing since after 2026-05-13 14:40", txt);
        // both rows name the account's platform (DigestAccount.PlatformName, computed from Platform)
        Assert.Matches(@"\((X|Mastodon|Bluesky|News feed) [^)]+\): rate_limited", txt);
        Assert.Matches(@"\((X|Mastodon|Bluesky|News feed) @[^)]+\): name “Oakmont Police”", md);
    }

    [Fact]
    public async Task Avatar_urls_that_are_not_http_are_never_images()
    {
        using var world = new DigestWorld();
        await world.ChangeProfileAsync("hamden-pd", "Hamden PD", "Hamden PD", "javascript:alert(1)", "data:image/svg+xml,<svg onload=alert(1)>", Utc("2026-05-13T14:00:00Z"));
        await world.Service().RunAsync(new(DigestScenario.Day, ["html"]));
        var html = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html"));
        Assert.Contains("Profile changes", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("onload=alert", html);
    }

    [Fact]
    public async Task A_day_with_no_posts_renders_an_honest_nothing_posted_digest_without_empty_sections()
    {
        using var world = new DigestWorld();
        var outcome = await world.Service().RunAsync(new(new DateOnly(2026, 1, 2)));
        Assert.Equal(0, outcome.Posts);
        var html = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-01-02.html"));
        var txt = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-01-02.txt"));
        var md = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-01-02.md"));
        Assert.Contains("Nothing was posted", html);
        Assert.Contains("Nothing was posted", txt);
        Assert.Contains("Nothing was posted", md);
        foreach (var section in new[] { "Hour by hour", "Condolences", "Most mentioned", "Profile changes", "could not be polled", "What agencies responded" })
            Assert.DoesNotContain(section, html);
        Assert.DoesNotContain("<svg", html);
    }

    [Fact]
    public async Task Only_the_requested_format_is_written_and_into_the_requested_folder()
    {
        using var world = new DigestWorld();
        var folder = world.Dir.File("elsewhere");
        var outcome = await world.Service().RunAsync(new(DigestScenario.Day, ["md"], folder));
        Assert.Equal([Path.Combine(folder, "digest-2026-05-13.md")], outcome.Files);
        Assert.Equal(["digest-2026-05-13.md"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Html_digest_is_self_contained_and_mobile_safe()
    {
        using var world = new DigestWorld();
        var (html, _, _, _) = await RenderScenarioAsync(world);
        Assert.DoesNotMatch(new Regex("<link|@import|<script|url\\(", RegexOptions.IgnoreCase), html);
        Assert.Contains("name=\"viewport\" content=\"width=device-width, initial-scale=1\"", html);
        Assert.Contains("overflow-wrap:anywhere", html);
        Assert.Contains("prefers-color-scheme: dark", html);
        Assert.Contains("style=\"margin:0;padding:0;background:#f4f5f7", html);
    }

    [Fact]
    public void Shipped_templates_validate()
    {
        using var world = new DigestWorld();
        var files = world.Service().ValidateTemplates();
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "templates"), f));
    }

    [Fact]
    public void Post_text_in_html_is_escaped_with_its_http_links_and_line_breaks_kept()
    {
        Assert.Equal("a &lt;b&gt;<br>see <a href=\"https://x.example/p?a=1&amp;b=2\" style=\"color:inherit;overflow-wrap:anywhere\">https://x.example/p?a=1&amp;b=2</a>. javascript:alert(1) data:text/html,x",
            SolidarityTracker.Text.PostText.HtmlWithLinks("a <b>\nsee https://x.example/p?a=1&b=2. javascript:alert(1) data:text/html,x"));
    }

    [Fact]
    public void Markdown_escape_keeps_text_as_text()
    {
        Assert.Equal(@"\# not a heading \*bold\* \_x\_ \[a\](b) &lt;b&gt; \`c\` a\|b", SolidarityTracker.Text.PostText.Markdown("# not a heading *bold* _x_ [a](b) <b> `c` a|b"));
        Assert.Equal(@"1\. first", SolidarityTracker.Text.PostText.Markdown("1. first"));
    }
}
