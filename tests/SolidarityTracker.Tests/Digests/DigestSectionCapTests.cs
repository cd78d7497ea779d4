using System.Text.RegularExpressions;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Digests;

/// <summary>Digest:MaxPostsPerSection: each label section shows at most that many posts, counts stay exact, and it says where the rest are.</summary>
public sealed class DigestSectionCapTests
{
    private static readonly DateOnly Day = new(2026, 5, 13);

    /// <summary>60 agencies: the first posts 30 condolences, each other one 5; 325 in all, and 2 memorials.</summary>
    private static async Task SeedAsync(DigestWorld world)
    {
        var more = Enumerable.Range(0, 55).Select(i => new Agency($"town-{i:00}", $"Town {i:00} Police", "OH")).ToList();
        var posts = new List<(Post, string[])>();
        var start = Utc("2026-05-13T12:00:00Z");
        for (var i = 0; i < 30; i++) posts.Add((world.Post("millbrook-pd", start.AddMinutes(i), $"Millbrook condolence {i}"), [Labels.Condolence]));
        foreach (var agency in DefaultAgencies.Skip(1).Select(a => a.Id).Concat(more.Select(a => a.Id)))
            for (var i = 0; i < 5; i++) posts.Add((world.Post(agency, start.AddMinutes(40 + i), $"{agency} condolence {i}"), [Labels.Condolence]));
        posts.Add((world.Post("hamden-pd", start.AddHours(2), "Mourning band for Officer Reyes"), [Labels.Memorial]));
        posts.Add((world.Post("cedar-so", start.AddHours(3), "Mourning band at Cedar"), [Labels.Memorial]));
        await world.AddAsync([.. posts], more);
    }

    [Fact]
    public async Task A_section_shows_at_most_the_cap_spread_over_agencies_with_exact_counts_and_where_the_rest_are()
    {
        using var world = new DigestWorld();
        await SeedAsync(world);
        world.Settings.Digest.MaxPostsPerSection = 20;
        var settings = world.Settings with { Web = new WebOptions { Enabled = true, Urls = "http://127.0.0.1:5080" } };

        var model = await world.Service(settings).BuildModelAsync(Day);
        var condolences = model.LabelSections.Single(s => s.Name == Labels.Condolence);
        Assert.Equal(325, condolences.Count);
        Assert.Equal(60, condolences.AgencyCount);
        Assert.Equal(20, condolences.Shown);
        Assert.Equal(305, condolences.More);
        Assert.Equal(40, condolences.MoreAgencies);
        // Breadth first: twenty agencies with one post each, the busiest first, each agency's count exact.
        Assert.Equal(20, condolences.Agencies.Count);
        Assert.All(condolences.Agencies, a => Assert.Single(a.Posts));
        Assert.Equal(("millbrook-pd", 30, 29), (condolences.Agencies[0].Id, condolences.Agencies[0].PostCount, condolences.Agencies[0].More));
        Assert.Equal("Millbrook condolence 0", condolences.Agencies[0].Posts[0].Text);
        Assert.Equal(325, model.Summary.Labels.Single(l => l.Name == Labels.Condolence).Count);
        // A section under the cap is whole.
        var memorials = model.LabelSections.Single(s => s.Name == Labels.Memorial);
        Assert.Equal((2, 2, 0, 0), (memorials.Count, memorials.Shown, memorials.More, memorials.MoreAgencies));

        await world.Service(settings).RunAsync(new(Day));
        var html = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html"));
        var md = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.md"));
        var txt = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.txt"));
        Assert.Equal(20, Regex.Matches(html, @"condolence \d+</div>").Count);
        Assert.Contains("325 posts from 60 agencies", html);
        Assert.Contains("and 305 more", html);
        Assert.Contains("20 of 325 shown", html);
        Assert.Contains("and 29 more from Millbrook Police Department", html);
        const string export = "SolidarityTracker export --from 2026-05-13 --to 2026-05-13 --label condolence --format csv --out condolence-2026-05-13.csv";
        Assert.Contains(export, html);
        Assert.Contains("href=\"http://127.0.0.1:5080/search?from=2026-05-13&amp;to=2026-05-13&amp;label=condolence\"", html);
        foreach (var text in new[] { md, txt })
        {
            Assert.Contains(export, text);
            Assert.Contains("http://127.0.0.1:5080/search?from=2026-05-13&to=2026-05-13&label=condolence", text);
            Assert.Contains("20 of 325 shown", text);
        }
        Assert.DoesNotContain("label=memorial", html);

        // The command the digest prints exports every post of the section.
        var csv = world.Dir.File("condolence.csv");
        var result = await CliRunner.RunAsync(["--config", world.ConfigFile, .. export.Split(' ')[1..^2], "--out", csv]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(325, File.ReadAllLines(csv).Count(l => l.StartsWith("x,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_the_dashboard_the_section_names_only_the_export_command()
    {
        using var world = new DigestWorld();
        await SeedAsync(world);

        await world.Service().RunAsync(new(Day, ["html"]));
        var html = File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html"));
        // The default cap is 50: 60 agencies, one post each from the first 50.
        Assert.Contains("and 275 more", html);
        Assert.Contains("50 of 325 shown", html);
        Assert.Contains("(from 10 more agencies too)", html);
        Assert.Contains("--label condolence --format csv", html);
        Assert.DoesNotContain("/search?", html);
    }
}
