using System.Xml.Linq;
using SolidarityTracker.Model;
using static SolidarityTracker.Tests.Export.ExportSeed;

namespace SolidarityTracker.Tests.Export;

public sealed class TimelineCommandTests
{
    [Fact]
    public async Task Timeline_csv_counts_distinct_agencies_per_local_hour()
    {
        using var seed = new ExportSeed();
        await seed.AddAsync(
            // 10:00 EDT: Hamden twice and Baton Rouge once with condolences; Baton Rouge also memorial.
            (Post(Platforms.X, "1", Hamden, "2016-07-17T14:05:00Z", "a"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "2", Hamden, "2016-07-17T14:40:00Z", "b"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "3", BatonRouge, "2016-07-17T14:50:00Z", "c"), Labelled(Labels.Condolence, Labels.Memorial)),
            // 12:00 EDT: Dallas, a safety reminder, and an unlabelled post.
            (Post(Platforms.X, "4", Dallas, "2016-07-17T16:10:00Z", "d"), Labelled(Labels.SafetyReminder)),
            (Post(Platforms.X, "5", Dallas, "2016-07-17T16:20:00Z", "e"), Labelled()));

        var result = await seed.RunAsync("timeline", "--by", "hour");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (header, rows) = Csv.Parse(result.Output);
        Assert.Equal(["bucket_start", "condolence_agencies", "memorial_agencies", "safety_reminder_agencies", "posts"], header);
        Assert.Equal(
            ["2016-07-17T10:00:00-04:00 2 1 0 3", "2016-07-17T11:00:00-04:00 0 0 0 0", "2016-07-17T12:00:00-04:00 0 0 1 2"],
            rows.Select(r => $"{r["bucket_start"]} {r["condolence_agencies"]} {r["memorial_agencies"]} {r["safety_reminder_agencies"]} {r["posts"]}"));
    }

    [Fact]
    public async Task Timeline_by_hour_keeps_both_one_oclock_hours_of_a_fall_back_night_and_days_are_local()
    {
        using var seed = new ExportSeed();
        await seed.AddAsync(
            (Post(Platforms.X, "1", Hamden, "2016-11-06T05:30:00Z", "01:30 EDT"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "2", Dallas, "2016-11-06T06:30:00Z", "01:30 EST"), Labelled(Labels.Condolence)));

        var hours = await seed.RunAsync("timeline", "--by", "hour");
        var days = await seed.RunAsync("timeline", "--by", "day", "--from", "2016-11-05", "--to", "2016-11-07");

        Assert.Equal(["2016-11-06T01:00:00-04:00", "2016-11-06T01:00:00-05:00"], Csv.Parse(hours.Output).Rows.Select(r => r["bucket_start"]));
        Assert.Equal(
            ["2016-11-05T00:00:00-04:00 0", "2016-11-06T00:00:00-04:00 2", "2016-11-07T00:00:00-05:00 0"],
            Csv.Parse(days.Output).Rows.Select(r => $"{r["bucket_start"]} {r["condolence_agencies"]}"));
    }

    [Fact]
    public async Task Timeline_svg_is_well_formed_xml_with_axes_legend_and_escaped_labels()
    {
        using var seed = new ExportSeed();
        await seed.AddAsync(
            (Post(Platforms.X, "1", Hamden, "2016-07-17T14:05:00Z", "Baton Rouge <prayers> & love"), Labelled(Labels.Condolence)),
            (Post(Platforms.X, "2", BatonRouge, "2016-07-18T14:05:00Z", "Baton Rouge memorial"), Labelled(Labels.Memorial)));
        var file = seed.Dir.File("timeline.svg");

        var result = await seed.RunAsync("timeline", "--by", "day", "--format", "svg", "--query", "Baton OR \"<x>&\"", "--out", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        var svg = XDocument.Load(file);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        Assert.Equal(3, svg.Descendants(ns + "polyline").Count());
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("condolence agencies", texts);
        Assert.Contains("safety_reminder agencies", texts);
        Assert.Contains("2016-07-17", texts);
        Assert.Contains(texts, t => t.Contains("<x>&"));
        Assert.Contains("&lt;x&gt;&amp;", File.ReadAllText(file));
    }

    [Fact]
    public async Task Timeline_with_an_unknown_granularity_exits_2()
    {
        using var seed = new ExportSeed();

        var result = await seed.RunAsync("timeline", "--by", "week");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--by", result.Error);
    }
}
