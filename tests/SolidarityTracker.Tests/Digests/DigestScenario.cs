using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Digests;

/// <summary>A realistic morning after a line-of-duty death in Millbrook, NY (13 May 2026, New York time), with one hostile post.</summary>
public static class DigestScenario
{
    public static readonly DateOnly Day = new(2026, 5, 13);

    public const string HostileText = "Stay safe <script>document.title='pwned'</script> <img src=x onerror=alert(1)> see javascript:alert(2) and [click](javascript:alert(3))";

    public static async Task SeedAsync(DigestWorld world, bool hostile = true)
    {
        string[] C = [Labels.Condolence], M = [Labels.Memorial], S = [Labels.SafetyReminder];
        string[] CM = [Labels.Condolence, Labels.Memorial];
        await world.AddAsync(
            (world.Post("millbrook-pd", Utc("2026-05-13T11:05:00Z"), "With heavy hearts we announce that Officer Daniel Reyes was killed in the line of duty last night. #MillbrookStrong"), M),
            (world.Post("hamden-pd", Utc("2026-05-13T12:10:00Z"), "Our thoughts and prayers are with @MillbrookPD and the family of Officer Daniel Reyes. #MillbrookStrong 💙", platform: "mastodon", url: "https://police.social/@hamdenpd/1101"), C),
            (world.Post("oakmont-pd", Utc("2026-05-13T13:30:00Z"), "Oakmont Police stands with our brothers and sisters in Millbrook. Our badges wear a mourning band for Ofc. Reyes. https://oakmont.example/news/reyes-tribute-with-a-very-long-path-that-must-wrap-on-small-screens-and-never-scroll-sideways-0123456789"), CM),
            (world.Post("cedar-so", Utc("2026-05-13T15:45:00Z"), "Cedar County Sheriff's Office sends deepest condolences to Millbrook PD. Rest easy, Officer Reyes. #MillbrookStrong", platform: "bluesky", url: "https://bsky.app/profile/cedarsheriff.bsky.social/post/3k"), CM),
            (world.Post("river-pd", Utc("2026-05-13T16:20:00Z"), "Procession for Officer Daniel Reyes passes through River City tomorrow at 10 am; please avoid the area of Main St and pull over as it passes. #MillbrookStrong"), [Labels.Memorial, Labels.SafetyReminder]),
            (world.Post("millbrook-pd", Utc("2026-05-13T18:00:00Z"), "Please remain vigilant and report anything out of place in Millbrook by calling 911."), S),
            (world.Post("hamden-pd", Utc("2026-05-13T20:15:00Z"), "Reminder: lock your cars and take your valuables inside tonight."), S),
            (world.Post("oakmont-pd", Utc("2026-05-13T21:00:00Z"), "Arrest made in the Elm St burglary."), []));
        if (hostile)
            await world.AddAsync((world.Post("river-pd", Utc("2026-05-13T22:30:00Z"), HostileText, url: "javascript:alert(4)"), S));
        // The day before: a quieter day, for "change against the previous day".
        await world.AddAsync(
            (world.Post("hamden-pd", Utc("2026-05-12T14:00:00Z"), "IRS scam calls are back. Hang up."), S),
            (world.Post("river-pd", Utc("2026-05-12T15:00:00Z"), "Police Week: we honor our fallen officers."), M));
        await world.ChangeProfileAsync("oakmont-pd", "Oakmont Police", "Oakmont Police (in mourning)",
            "https://cdn.example/oakmont-old.png", "https://cdn.example/oakmont-mourning-band.png", Utc("2026-05-13T14:00:00Z"));
        await world.FailAsync("cedar-so", "rate_limited", "rate limited until 2026-05-13T23:00:00Z", 3, Utc("2026-05-13T19:00:00Z"), lastSuccess: Utc("2026-05-13T18:40:00Z"));
    }
}
