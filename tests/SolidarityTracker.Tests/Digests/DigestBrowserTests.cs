using SolidarityTracker.Tests.Support;
using Xunit.Abstractions;

namespace SolidarityTracker.Tests.Digests;

/// <summary>The HTML digest as a reader's browser shows it: headless Chromium at a phone's width (fails without /usr/bin/chromium).</summary>
public sealed class DigestBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task In_a_browser_at_375_px_the_digest_runs_no_script_shows_its_charts_and_does_not_scroll_sideways()
    {
        var chromium = Chromium.Require();
        using var world = new DigestWorld();
        await DigestScenario.SeedAsync(world);
        var outcome = await world.Service().RunAsync(new(DigestScenario.Day, ["html"]));
        var html = outcome.Files[0];

        var dom = await chromium.DumpDomAsync(html);
        Assert.Contains("<title>Solidarity digest 2026-05-13</title>", dom);
        Assert.DoesNotContain("<script", dom);
        Assert.DoesNotContain("<img src=\"x\"", dom);
        Assert.DoesNotContain("onerror", dom.Replace("onerror=alert(1)&gt;", ""));
        Assert.Contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;", dom);
        Assert.Contains("<svg", dom);

        var layout = await chromium.MeasureAsync(html);
        output.WriteLine(layout.ToString());
        Assert.Equal("Solidarity digest 2026-05-13", layout.Title); // the hostile post's script never ran
        Assert.Equal(0, layout.Scripts);
        Assert.True(layout.Svgs > 0, "the hour-by-hour charts are drawn");
        Assert.Equal(375, layout.ClientWidth);
        Assert.True(layout.ScrollWidth <= layout.ClientWidth, $"the page scrolls sideways: {layout.ScrollWidth} px wide at {layout.ClientWidth} px");
        Assert.True(layout.Widest <= 375.5, $"an element reaches {layout.Widest} px");

    }

    [Fact]
    public async Task A_realistic_day_makes_a_screenshot()
    {
        var chromium = Chromium.Require();
        using var world = new DigestWorld();
        await DigestShowcase.SeedAsync(world);
        var outcome = await world.Service().RunAsync(new(DigestScenario.Day, ["html"]));
        var png = world.Dir.File("digest.png");
        await chromium.ScreenshotAsync(outcome.Files[0], png);
        Assert.True(new FileInfo(png).Length > 10_000);
        // To refresh the README screenshot: ST_DIGEST_SCREENSHOT=$PWD/docs/digest-screenshot.png dotnet test --filter A_realistic_day_makes_a_screenshot
        if (Environment.GetEnvironmentVariable("ST_DIGEST_SCREENSHOT") is { Length: > 0 } target)
            await chromium.ScreenshotAsync(outcome.Files[0], target, 720, 2400);
        if (Environment.GetEnvironmentVariable("ST_DIGEST_SCREENSHOT_PHONE") is { Length: > 0 } phone)
            await chromium.ScreenshotAsync(outcome.Files[0], phone, 375, 1600);
    }
}

public sealed class ChromiumLayoutProbeTests
{
    [Fact]
    public async Task The_sideways_scroll_probe_sees_a_page_that_is_too_wide()
    {
        var chromium = Chromium.Require();
        using var dir = new TestDirectory();
        var page = dir.Write("wide.html", "<!DOCTYPE html><html><head><meta name=\"viewport\" content=\"width=device-width\"><title>wide</title></head><body><p>" + new string('w', 400) + "</p></body></html>");
        var layout = await chromium.MeasureAsync(page);
        Assert.True(layout.ScrollWidth > layout.ClientWidth, layout.ToString());
    }
}
