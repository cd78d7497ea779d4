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

/// <summary>A fuller morning for the README screenshot: two dozen agencies over the day, two events, badges changing.</summary>
public static class DigestShowcase
{
    private static readonly (string Id, string Name, string State)[] More =
    [
        ("lakeside-pd", "Lakeside Police Department", "NY"), ("fairview-pd", "Fairview Police", "NJ"), ("greenville-pd", "Greenville PD", "PA"),
        ("springfield-pd", "Springfield Police Department", "MA"), ("franklin-so", "Franklin County Sheriff's Office", "OH"),
        ("nysp", "New York State Police", "NY"), ("westport-pd", "Westport Police", "CT"), ("ashford-pd", "Ashford Police Department", "CT"),
        ("brookside-pd", "Brookside Police", "NJ"), ("kent-so", "Kent County Sheriff", "MD"), ("dover-pd", "Dover Police Department", "DE"),
        ("salem-pd", "Salem Police", "MA"), ("union-pd", "Union Township Police", "NJ"), ("bristol-pd", "Bristol Police Department", "CT"),
        ("hudson-pd", "Hudson Police", "NY"), ("marion-so", "Marion County Sheriff", "OH"), ("clinton-pd", "Clinton Police Department", "NY"),
        ("warren-pd", "Warren Police", "PA"), ("newton-pd", "Newton Police Department", "MA"),
    ];

    private static readonly string[] Condolences =
    [
        "{0} sends our deepest condolences to @MillbrookPD and the family of Officer Daniel Reyes. We stand with you. #MillbrookStrong 💙",
        "Our thoughts and prayers are with the Millbrook Police Department and the family of Officer Daniel Reyes tonight. 🖤💙",
        "The men and women of {0} stand with our brothers and sisters in Millbrook. Rest easy, Officer Reyes. #MillbrookStrong",
    ];

    private static readonly string[] Memorials =
    [
        "Our badges wear a mourning band in honor of Officer Daniel Reyes, EOW 5/12/2026. #MillbrookStrong",
        "Flags at {0} headquarters fly at half-staff for Officer Daniel Reyes. Never forgotten.",
    ];

    public static async Task SeedAsync(DigestWorld world)
    {
        string[] C = [Labels.Condolence], M = [Labels.Memorial], S = [Labels.SafetyReminder], CM = [Labels.Condolence, Labels.Memorial];
        await DigestScenario.SeedAsync(world, hostile: false);
        var agencies = More.Select(a => new Agency(a.Id, a.Name, a.State)).ToList();
        var random = new Random(7);
        var posts = new List<(SolidarityTracker.Model.Post, string[])>();
        var start = Utc("2026-05-13T11:40:00Z");
        for (var i = 0; i < More.Length; i++)
        {
            var (id, name, _) = More[i];
            // Most responses come mid-morning, a few trickle in through the afternoon.
            var at = start.AddMinutes(Math.Pow(random.NextDouble(), 2.2) * 600);
            var memorial = i % 3 == 1;
            var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, memorial ? Memorials[i % Memorials.Length] : Condolences[i % Condolences.Length], name);
            posts.Add((Post(world, id, at, text), memorial ? (i % 2 == 0 ? CM : M) : C));
            if (i % 5 == 0)
                posts.Add((Post(world, id, at.AddHours(3), "Procession for Officer Daniel Reyes on Thursday: please avoid Route 9 between 9 and 11 am and pull over as it passes."), [Labels.Memorial, Labels.SafetyReminder]));
        }
        posts.Add((Post(world, "fairview-pd", Utc("2026-05-13T23:10:00Z"), "Flood warning for Fairview tonight: do not drive through water on Canal St. #FairviewFlood"), S));
        posts.Add((Post(world, "brookside-pd", Utc("2026-05-13T23:40:00Z"), "Stay off the roads near the river in Fairview if you can. #FairviewFlood"), S));
        await world.AddAsync([.. posts], agencies);
    }

    private static SolidarityTracker.Model.Post Post(DigestWorld world, string id, DateTimeOffset at, string text) =>
        world.Post(id, at, text, url: $"https://x.com/{id.Replace("-", "")}/status/{at.ToUnixTimeSeconds()}");
}
