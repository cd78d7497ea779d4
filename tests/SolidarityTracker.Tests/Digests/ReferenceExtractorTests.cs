using SolidarityTracker.Digests;
using SolidarityTracker.Incidents;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Digests;

public sealed class ReferenceExtractorTests
{
    [Theory]
    [InlineData("Our thoughts are with the family of Officer Daniel Reyes. #MillbrookStrong", "Officer Daniel Reyes", "", "#MillbrookStrong")]
    [InlineData("Flags fly at half-staff for Ofc. Reyes in Baton Rouge, LA tonight", "Officer Reyes", "Baton Rouge, LA", "")]
    [InlineData("Sgt. John J. McDonald and K-9 Rex, EOW. We stand with Dallas, TX", "Sergeant John J. McDonald|K9 Rex", "Dallas, TX", "")]
    [InlineData("Procession passes through River City; Officer Down memorial at 10", "", "River City", "")]
    [InlineData("Our prayers are with the Millbrook Police Department #ThinBlueLine", "", "Millbrook", "")]
    // An office or a title is not a place; the place before it still is.
    [InlineData("Tonight at 6:30: the escort from the Coroner's Office to the church", "", "", "")]
    [InlineData("Officer Reyes will be escorted from the Harmon County Coroner's Office at noon", "Officer Reyes", "Harmon County", "")]
    [InlineData("By order of the Governor, flags at all public buildings fly at half-staff", "", "", "")]
    [InlineData("Troopers of the Pennsylvania State Patrol stand with you", "", "Pennsylvania", "")]
    [InlineData("See you at Tuesday's vigil in Millbrook", "", "Millbrook", "")]
    public void Officers_places_and_hashtags_are_read_from_the_text(string text, string officers, string places, string tags)
    {
        var found = ReferenceExtractor.Extract(text);
        Assert.Equal(officers, string.Join('|', found.Officers.Select(o => o.Title)));
        Assert.Equal(places, string.Join('|', found.Places.Select(p => p.Title)));
        Assert.Equal(tags, string.Join('|', found.Hashtags.Select(t => t.Title)));
    }

    [Fact]
    public void Mentions_keep_the_handle_and_its_instance()
    {
        var found = ReferenceExtractor.Extract("With @MillbrookPD and @hamdenpd@police.social tonight; mail us at press@agency.example");
        Assert.Equal(["millbrookpd", "hamdenpd@police.social"], found.Mentions);
    }

    [Fact]
    public async Task A_day_larger_than_a_megabyte_is_rendered_whole_when_the_section_cap_allows_it()
    {
        using var world = new DigestWorld();
        // Scriban's output limit must not cut a big digest: lift the section cap so every post is rendered.
        world.Settings.Digest.MaxPostsPerSection = 1500;
        var text = "Our thoughts and prayers are with the family of Officer Daniel Reyes and all of Millbrook. " + new string('x', 900);
        var posts = Enumerable.Range(0, 1500).Select(i => (world.Post(DigestWorld.DefaultAgencies[i % 5].Id, DigestWorld.Utc("2026-05-13T16:00:00Z").AddSeconds(i), text + i), new[] { Labels.Condolence })).ToArray();
        await world.AddAsync(posts);
        var outcome = await world.Service().RunAsync(new(DigestScenario.Day, ["html"]));
        var html = File.ReadAllText(outcome.Files[0]);
        Assert.True(html.Length > 1_500_000, $"{html.Length} characters");
        Assert.EndsWith("</html>\n", html);
        Assert.Contains(text + "1499", html);
    }
}
