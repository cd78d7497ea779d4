using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Digests;

/// <summary>The digest of local day D holds exactly the posts created in [D 00:00, D+1 00:00) in Digest:TimeZone.</summary>
public sealed class DigestDayBoundaryTests
{
    private static readonly string[] Condolence = [Labels.Condolence];

    private static async Task<IReadOnlyList<string>> TextsOfAsync(DigestWorld world, DateOnly day) =>
        (await world.Service().BuildModelAsync(day)).LabelSections.SelectMany(s => s.Agencies).SelectMany(a => a.Posts).Select(p => p.Text).ToList();

    [Fact]
    public async Task A_post_before_local_midnight_in_summer_belongs_to_the_previous_local_day()
    {
        using var world = new DigestWorld();
        await world.AddAsync(
            // 03:30Z on 14 May is 23:30 EDT on 13 May; 04:30Z is 00:30 EDT on 14 May.
            (world.Post("hamden-pd", Utc("2026-05-14T03:30:00Z"), "late on the 13th"), Condolence),
            (world.Post("hamden-pd", Utc("2026-05-14T04:30:00Z"), "early on the 14th"), Condolence),
            // In winter (EST, UTC-5) 04:30Z is still 23:30 the evening before.
            (world.Post("hamden-pd", Utc("2026-01-15T04:30:00Z"), "late on 14 January"), Condolence));

        Assert.Equal(["late on the 13th"], await TextsOfAsync(world, new DateOnly(2026, 5, 13)));
        Assert.Equal(["early on the 14th"], await TextsOfAsync(world, new DateOnly(2026, 5, 14)));
        Assert.Equal(["late on 14 January"], await TextsOfAsync(world, new DateOnly(2026, 1, 14)));
        Assert.Empty(await TextsOfAsync(world, new DateOnly(2026, 1, 15)));
    }

    [Fact]
    public async Task A_post_exactly_at_local_midnight_belongs_to_the_day_that_starts_then()
    {
        using var world = new DigestWorld();
        await world.AddAsync(
            (world.Post("hamden-pd", Utc("2026-05-14T04:00:00Z"), "at midnight"), Condolence),
            (world.Post("hamden-pd", Utc("2026-05-14T03:59:59.999Z"), "a moment before"), Condolence));
        Assert.Equal(["at midnight"], await TextsOfAsync(world, new DateOnly(2026, 5, 14)));
        Assert.Equal(["a moment before"], await TextsOfAsync(world, new DateOnly(2026, 5, 13)));
    }

    [Fact]
    public async Task The_spring_forward_day_has_23_hours_and_its_chart_23_bars()
    {
        using var world = new DigestWorld();
        await world.AddAsync(
            (world.Post("hamden-pd", Utc("2026-03-08T05:00:00Z"), "00:00 EST"), Condolence),
            (world.Post("hamden-pd", Utc("2026-03-08T07:10:00Z"), "03:10 EDT, right after the jump"), Condolence),
            (world.Post("hamden-pd", Utc("2026-03-09T03:59:00Z"), "23:59 EDT"), Condolence),
            (world.Post("hamden-pd", Utc("2026-03-09T04:00:00Z"), "the next day"), Condolence));

        var model = await world.Service().BuildModelAsync(new DateOnly(2026, 3, 8));
        Assert.Equal(23, model.Hours);
        Assert.Equal(3, model.Summary.Posts);
        var chart = Assert.Single(model.Charts);
        Assert.Equal(23, chart.Bars.Count);
        Assert.Equal(23, chart.Sparkline.Length);
        // Local 02:00 does not exist: the hours go 00, 01, 03.
        Assert.Equal(["00", "01", "03"], chart.Bars.Take(3).Select(b => b.Hour));
        Assert.Equal(1, chart.Bars.Single(b => b.Hour == "03").Count);
        Assert.Equal(1, chart.Bars[^1].Count);
    }

    [Fact]
    public async Task The_fall_back_day_has_25_hours_and_both_one_oclocks_are_in_it()
    {
        using var world = new DigestWorld();
        await world.AddAsync(
            (world.Post("hamden-pd", Utc("2026-11-01T05:30:00Z"), "01:30 EDT"), Condolence),
            (world.Post("hamden-pd", Utc("2026-11-01T06:30:00Z"), "01:30 EST"), Condolence),
            (world.Post("hamden-pd", Utc("2026-11-02T04:59:00Z"), "23:59 EST"), Condolence),
            (world.Post("hamden-pd", Utc("2026-11-01T03:59:00Z"), "the day before"), Condolence));

        var model = await world.Service().BuildModelAsync(new DateOnly(2026, 11, 1));
        Assert.Equal(25, model.Hours);
        Assert.Equal(3, model.Summary.Posts);
        var chart = Assert.Single(model.Charts);
        Assert.Equal(25, chart.Bars.Count);
        Assert.Equal(["00", "01", "01", "02"], chart.Bars.Take(4).Select(b => b.Hour));
        Assert.Equal([0, 1, 1, 0], chart.Bars.Take(4).Select(b => b.Count));
        Assert.Contains("25 hours", File.ReadAllText((await world.Service().RunAsync(new(new DateOnly(2026, 11, 1), ["txt"]))).Files[0]));
    }

    [Fact]
    public async Task The_time_zone_of_the_configuration_decides_the_day()
    {
        using var world = new DigestWorld(timeZone: "Europe/Berlin");
        // 22:30Z on 13 May is 00:30 on 14 May in Berlin (CEST, UTC+2).
        await world.AddAsync((world.Post("hamden-pd", Utc("2026-05-13T22:30:00Z"), "Berlin morning"), Condolence));
        Assert.Equal(["Berlin morning"], await TextsOfAsync(world, new DateOnly(2026, 5, 14)));
        var model = await world.Service().BuildModelAsync(new DateOnly(2026, 5, 14));
        Assert.Equal("00:30", model.LabelSections[0].Agencies[0].Posts[0].Time);
    }
}
