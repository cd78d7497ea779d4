using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

public sealed class DemoTests
{
    [Fact]
    public async Task Demo_imports_the_sample_wave_into_a_fresh_database_and_renders_its_main_day_in_every_format()
    {
        using var dir = new TestDirectory();

        var first = await CliRunner.RunAsync("demo", "--out", dir.Path);
        var second = await CliRunner.RunAsync("demo", "--out", dir.Path);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("imported 253 posts", first.Output);
        // A fresh database each time: the second run imports everything again rather than finding it stored.
        Assert.Contains("imported 253 posts", second.Output);
        Assert.Contains("digest 2026-05-13: 131 posts", first.Output);
        foreach (var format in new[] { "html", "md", "txt" })
            Assert.True(File.Exists(Path.Combine(dir.Path, $"digest-2026-05-13.{format}")), format);
        var html = File.ReadAllText(Path.Combine(dir.Path, "digest-2026-05-13.html"));
        Assert.Contains("Millbrook", html);
        Assert.Contains("href=\"https://", html);
        // The sample holds hostile markup in post text; none of it survives as markup.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror=alert", html.Replace("onerror=alert(1)&gt;", ""), StringComparison.OrdinalIgnoreCase);
    }
}
