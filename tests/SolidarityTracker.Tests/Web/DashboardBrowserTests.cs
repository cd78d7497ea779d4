using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Digests;
using SolidarityTracker.Tests.Support;
using Xunit.Abstractions;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Web;

/// <summary>
/// The dashboard as a person's browser sees it: real headless Chromium against the real `serve` on loopback. Few
/// tests, each covering several pages, because a browser is slow to start.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string Password = "tr0ub4dor&3 but longer";

    private static Chromium Browser() => Chromium.Require();

    [Fact]
    public async Task The_digest_tests_hostile_post_is_inert_on_every_page_and_no_page_scrolls_sideways_at_375_px()
    {
        using var world = new DigestWorld();
        await DigestScenario.SeedAsync(world);
        // Hostile text where an operator reads errors, and a hostile profile.
        await world.FailAsync("river-pd", "malformed", DigestScenario.HostileText, 2, Utc("2026-05-13T19:00:00Z"));
        var hostile = Assert.Single(await world.Posts.QueryAsync(new() { FullText = "pwned" }).ToListAsync());
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        var incidentId = JsonDocument.Parse(await client.GetStringAsync("/api/incidents?from=2026-05-13&to=2026-05-13"))
            .RootElement.GetProperty("incidents")[0].GetProperty("id").GetString()!;

        await using var page = await Browser().OpenAsync(375);
        string[] paths =
        [
            "/?date=2026-05-13", "/search?q=Stay+safe", "/search?q=%3Cscript%3E", $"/posts/x/{hostile.Post.PostId}", "/incidents?from=2026-05-12&to=2026-05-13",
            $"/incidents/{incidentId}", "/sources", "/sources?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E", "/alerts", "/login?return=javascript:alert(1)",
        ];
        foreach (var path in paths)
        {
            await page.NavigateAsync(server.BaseUrl + path);
            var layout = await page.LayoutAsync();
            output.WriteLine($"{path}: {layout}");
            Assert.DoesNotContain("pwned", layout.Title);
            Assert.Equal(0, layout.Scripts);
            Assert.True(layout.ScrollWidth <= layout.ClientWidth, $"{path} scrolls sideways: {layout.ScrollWidth} px at {layout.ClientWidth} px");
            Assert.Equal("0", await page.EvaluateAsync("String(document.querySelectorAll('img[onerror], [onerror], [onload]').length)"));
            Assert.Equal("0", await page.EvaluateAsync("String(Array.from(document.querySelectorAll('a[href], form[action]')).filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('action'))).length)"));
        }
        await page.NavigateAsync(server.BaseUrl + $"/posts/x/{hostile.Post.PostId}");
        Assert.Contains("<script>document.title='pwned'</script>", await page.EvaluateAsync("document.querySelector('.text').textContent"));
        await page.NavigateAsync(server.BaseUrl + "/?date=2026-05-13");
        Assert.True((await page.LayoutAsync()).Svgs > 0, "the hour-by-hour chart is drawn");
    }

    [Fact]
    public async Task A_person_logs_in_corrects_a_label_through_the_form_sees_it_in_export_and_logs_out()
    {
        using var world = new DigestWorld();
        var post = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Our thoughts and prayers are with Millbrook PD.");
        await world.AddAsync((post, [Labels.Condolence]));
        await using var server = await DashboardServer.StartAsync(world.ConfigFile, $"--Web:Password={Password}");
        await using var page = await Browser().OpenAsync(1024);

        await page.NavigateAsync(server.BaseUrl + $"/posts/x/{post.PostId}");
        Assert.StartsWith(server.BaseUrl + "/login?return=", await page.UrlAsync());
        await page.EvaluateAsync($"document.querySelector('input[name=password]').value = {JsonSerializer.Serialize("wrong")}");
        await page.ActAsync("document.querySelector('form[action=\"/login\"]').submit()");
        Assert.Contains("Wrong password", await page.HtmlAsync());
        await page.EvaluateAsync($"document.querySelector('input[name=password]').value = {JsonSerializer.Serialize(Password)}");
        await page.ActAsync("document.querySelector('form[action=\"/login\"]').submit()");
        Assert.Equal(server.BaseUrl + $"/posts/x/{post.PostId}", await page.UrlAsync());

        await page.EvaluateAsync("document.querySelector('input[value=condolence]').checked = false");
        await page.EvaluateAsync("document.querySelector('input[value=memorial]').checked = true");
        await page.EvaluateAsync("document.querySelector('input[name=by]').value = 'Officer Page'");
        await page.ActAsync("document.querySelector('form[action$=\"/labels\"]').submit()");
        var html = await page.HtmlAsync();
        Assert.Contains("Correction saved", html);
        Assert.Contains("Officer Page", html);
        var export = await CliRunner.RunAsync("export", "--config", world.ConfigFile);
        Assert.Contains(",memorial,", export.Output);

        await page.ActAsync("document.querySelector('form[action=\"/logout\"]').submit()");
        Assert.StartsWith(server.BaseUrl + "/login", await page.UrlAsync());
        await page.NavigateAsync(server.BaseUrl + "/");
        Assert.StartsWith(server.BaseUrl + "/login", await page.UrlAsync());
    }

    [Fact]
    public async Task A_form_on_another_site_cannot_correct_labels_for_a_logged_in_person()
    {
        using var world = new DigestWorld();
        var post = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Our thoughts and prayers are with Millbrook PD.");
        await world.AddAsync((post, [Labels.Condolence]));
        await using var server = await DashboardServer.StartAsync(world.ConfigFile, $"--Web:Password={Password}");
        // The attacker's page, on another origin, posts a correction as soon as it loads.
        await using var attacker = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"""
                <!DOCTYPE html><html><body><form id="f" method="post" action="{server.BaseUrl}/posts/x/{post.PostId}/labels">
                <input name="labels" value="safety_reminder"></form><script>document.getElementById('f').submit()</script></body></html>
                """);
        });
        await using var page = await Browser().OpenAsync(1024);
        await page.NavigateAsync(server.BaseUrl + "/login");
        await page.EvaluateAsync($"document.querySelector('input[name=password]').value = {JsonSerializer.Serialize(Password)}");
        await page.ActAsync("document.querySelector('form[action=\"/login\"]').submit()");
        Assert.Equal(server.BaseUrl + "/", await page.UrlAsync());

        await page.NavigateAsync(attacker.BaseUrl + "/");
        // The page navigates twice (the attacker's page, then the form's answer): asking it mid-navigation is refused, so ask again.
        for (var i = 0; i < 100 && (await AskAsync(page, "location.href"))?.StartsWith(server.BaseUrl) != true; i++) await Task.Delay(50);
        for (var i = 0; i < 100 && await AskAsync(page, "document.readyState") != "complete"; i++) await Task.Delay(50);
        // The browser did send the form (it is now on the dashboard's answer), and the dashboard refused it.
        Assert.StartsWith(server.BaseUrl, await page.UrlAsync());
        output.WriteLine(await page.UrlAsync());
        var export = await CliRunner.RunAsync("export", "--config", world.ConfigFile);
        Assert.Contains(",condolence,", export.Output);
        Assert.DoesNotContain("safety_reminder,", export.Output.Split('\n')[1]);
    }

    /// <summary>The page's answer, or null while it is navigating (DevTools refuses to evaluate then).</summary>
    private static async Task<string?> AskAsync(Chromium.BrowserPage page, string expression)
    {
        try { return await page.EvaluateAsync(expression); }
        catch (InvalidOperationException ex) when (ex.Message.Contains("navigated", StringComparison.Ordinal)) { return null; }
    }

    [Fact]
    public async Task Following_next_page_through_a_search_shows_every_match_once_and_the_downloads_hold_them_all()
    {
        using var world = new DigestWorld();
        await world.AddAsync(Enumerable.Range(0, 120).Select(i =>
            (world.Post(DefaultAgencies[i % 5].Id, Utc("2026-05-13T04:00:00Z").AddMinutes(i * 7), $"Procession route notice number {i:000}"), new[] { Labels.Memorial })).ToArray());
        await world.AddAsync((world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Arrest made."), []));
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        await using var page = await Browser().OpenAsync(375);

        await page.NavigateAsync(server.BaseUrl + "/search?q=procession&label=memorial");
        var seen = new List<string>();
        for (var pages = 1; ; pages++)
        {
            var texts = JsonSerializer.Deserialize<string[]>(await page.EvaluateAsync("JSON.stringify(Array.from(document.querySelectorAll('.posts .text')).map(e => e.textContent))"))!;
            seen.AddRange(texts);
            var layout = await page.LayoutAsync();
            Assert.True(layout.ScrollWidth <= layout.ClientWidth, $"page {pages} scrolls sideways");
            if (await page.EvaluateAsync("String(!!document.querySelector('a[rel=next]'))") != "true") break;
            Assert.True(pages < 10, "more pages than posts");
            await page.ActAsync("document.querySelector('a[rel=next]').click()");
        }
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"Procession route notice number {i:000}"), seen);

        using var client = server.Client();
        var csv = await client.GetStringAsync("/search.csv?q=procession&label=memorial");
        Assert.Equal(121, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var json = JsonDocument.Parse(await client.GetStringAsync("/search.json?q=procession&label=memorial"));
        Assert.Equal(120, json.RootElement.GetArrayLength());
    }
}
