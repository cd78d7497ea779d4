using SolidarityTracker.Model;
using static SolidarityTracker.Tests.Export.ExportSeed;

namespace SolidarityTracker.Tests.Export;

public sealed class RoundupCommandTests
{
    private static async Task<ExportSeed> SeedAsync()
    {
        var seed = new ExportSeed();
        await seed.AddAsync(
            // Baton Rouge posts twice; the roundup shows its first post.
            (Post(Platforms.X, "10", BatonRouge, "2016-07-17T14:00:00Z", "Our badge wears a mourning band for the officers killed in Baton Rouge."), Labelled(Labels.Memorial)),
            (Post(Platforms.X, "11", BatonRouge, "2016-07-17T18:00:00Z", "Baton Rouge vigil tonight at 7."), Labelled(Labels.Memorial)),
            (Post(Platforms.Mastodon, "20", Hamden, "2016-07-17T15:30:00Z", "Hamden PD sends our deepest condolences to Baton Rouge."), Labelled(Labels.Condolence)),
            // Dallas speaks of Baton Rouge but only with a safety reminder: not a response.
            (Post(Platforms.Bluesky, "30", Dallas, "2016-07-17T16:00:00Z", "After Baton Rouge, please report anything out of place."), Labelled(Labels.SafetyReminder)),
            // Shreveport sends condolences about something else.
            (Post(Platforms.X, "40", Shreveport, "2016-07-17T16:00:00Z", "Condolences to Dallas."), Labelled(Labels.Condolence)));
        return seed;
    }

    [Fact]
    public async Task Roundup_csv_groups_responders_by_state_and_lists_agencies_not_yet_heard_from()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("roundup", "--from", "2016-07-17", "--to", "2016-07-18", "--query", "\"Baton Rouge\"", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (header, rows) = Csv.Parse(result.Output);
        Assert.Equal(["state", "agency_id", "agency_name", "first_post_at", "platform", "quote", "url", "responded"], header);
        Assert.Equal(["CT:hamden:true", "LA:brpd:true", "LA:spd:false", "TX:dpd:false"], rows.Select(r => $"{r["state"]}:{r["agency_id"]}:{r["responded"]}"));
        var brpd = rows[1];
        Assert.Equal("2016-07-17T10:00:00-04:00", brpd["first_post_at"]);
        Assert.Equal("x", brpd["platform"]);
        Assert.Equal("https://example.org/brpd/10", brpd["url"]);
        Assert.StartsWith("Our badge wears a mourning band", brpd["quote"]);
    }

    [Fact]
    public async Task Roundup_of_one_state_lists_only_that_states_agencies()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("roundup", "--from", "2016-07-17", "--to", "2016-07-17", "--query", "\"Baton Rouge\"", "--state", "LA", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["brpd:true", "spd:false"], Csv.Parse(result.Output).Rows.Select(r => $"{r["agency_id"]}:{r["responded"]}"));
    }

    [Fact]
    public async Task Roundup_markdown_has_a_section_per_state_and_the_not_yet_heard_from()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("roundup", "--from", "2016-07-17", "--to", "2016-07-18", "--query", "\"Baton Rouge\"", "--format", "md");

        Assert.True(result.ExitCode == 0, result.ToString());
        var md = result.Output;
        Assert.Contains("## CT", md);
        Assert.Contains("## LA", md);
        Assert.Contains("**Baton Rouge Police**, 2016-07-17 10:00 (-04:00), x (2 posts)", md);
        Assert.Contains("[link](https://example.org/brpd/10)", md);
        var notYet = md[md.IndexOf("## Not yet heard from", StringComparison.Ordinal)..];
        Assert.Contains("Shreveport Police", notYet);
        Assert.Contains("Dallas Police", notYet);
        Assert.DoesNotContain("Hamden", notYet);
    }

    [Fact]
    public async Task Roundup_html_escapes_post_text_and_drops_links_that_are_not_http()
    {
        using var seed = new ExportSeed();
        await seed.AddAsync(
            (Post(Platforms.X, "1", Hamden, "2016-07-17T15:00:00Z", "Condolences <script>alert('x')</script> & prayers", url: "javascript:alert(1)"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "2", Dallas, "2016-07-17T15:00:00Z", "We mourn \"our\" brothers", url: "https://example.org/a?b=\"c\""), Labelled(Labels.Memorial)));

        var result = await seed.RunAsync("roundup", "--from", "2016-07-17", "--to", "2016-07-17");

        Assert.True(result.ExitCode == 0, result.ToString());
        var html = result.Output;
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"https://example.org/a?b=%22c%22\"", html);
        Assert.Contains("Hamden PD", html);
        Assert.DoesNotContain("<a href=\"javascript", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<a "));
    }

    [Fact]
    public async Task A_broken_override_template_exits_2_naming_file_line_and_column()
    {
        using var seed = await SeedAsync();
        var templates = Path.GetDirectoryName(seed.Dir.Write("templates/roundup.html.sbn", "<h1>Roundup</h1>\n<p>{{ for s in states }}</p>\n"))!;
        var config = Support.Config.Write(seed.Dir, name: "override.json", digest: new { TimeZone = "America/New_York", OutputDirectory = seed.Dir.File("digests"), Templates = templates },
            agencies: Agencies.Select(a => new { a.Id, a.Name, a.State }).ToArray());

        var result = await Support.CliRunner.RunAsync("roundup", "--from", "2016-07-17", "--to", "2016-07-17", "--config", config);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains("roundup.html.sbn:2:", line);
    }

    [Fact]
    public async Task A_template_that_fails_while_rendering_exits_2_naming_file_line_and_column()
    {
        using var seed = await SeedAsync();
        var templates = Path.GetDirectoryName(seed.Dir.Write("templates/roundup.md.sbn", "# Roundup\n\n{{ no_such_function 1 }}\n"))!;
        var config = Support.Config.Write(seed.Dir, name: "override.json", digest: new { TimeZone = "America/New_York", OutputDirectory = seed.Dir.File("digests"), Templates = templates },
            agencies: Agencies.Select(a => new { a.Id, a.Name, a.State }).ToArray());

        var result = await Support.CliRunner.RunAsync("roundup", "--from", "2016-07-17", "--to", "2016-07-17", "--format", "md", "--config", config);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Contains("roundup.md.sbn:3:", Assert.Single(result.Error.Trim().Split('\n')));
    }

    [Fact]
    public async Task Roundup_needs_from_and_to()
    {
        using var seed = await SeedAsync();

        var result = await seed.RunAsync("roundup", "--from", "2016-07-17");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--to", result.Error);
    }
}
