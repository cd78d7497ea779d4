using System.Net;
using SolidarityTracker.Tests.Alerts;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Web;

/// <summary>The /alerts page reads the outbox the poll cycle wrote: over the same SQLite file, through `serve`.</summary>
public sealed class DashboardAlertsPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 13, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_alerts_page_lists_a_pending_delivery_with_its_error_and_links_the_alert_to_its_incident()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        hooks.Failing = 500;
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"),
            new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, Now, replaced: source);
        foreach (var id in new[] { "a", "b", "c" })
            source.Then(TrackerWorld.Feed(id), IncidentAlertTests.Step(id, 1, Now.AddMinutes(-30)));
        await world.Cycle.RunAsync();
        Assert.Equal("pending", Assert.Single(Assert.Single(world.Alerts).Deliveries).Status);

        await using var server = await DashboardServer.StartAsync(world.ConfigPath);
        using var client = server.Client();
        var page = await client.GetStringAsync("/alerts?from=2026-05-13&to=2026-05-13");

        Assert.Contains("1 alerts raised from 2026-05-13 to 2026-05-13", page);
        Assert.Contains("Officer Daniel Reyes", page);
        Assert.Contains("1 pending, 0 sent, 0 failed", page);
        Assert.Contains("HTTP 500", page);
        Assert.Contains("next try", page);
        // Every time shown says its offset, not only the page's zone name.
        Assert.Matches(@"2026-05-13 \d\d:\d\d -04:00", page);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/incidents/2026-05-13-[^\"]+)\"");
        Assert.True(link.Success, "the alert links its incident's page");
        var incident = await client.GetAsync(link.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, incident.StatusCode);
        Assert.Contains("Officer Daniel Reyes", await incident.Content.ReadAsStringAsync());

        // Filtering by delivery state: nothing has been sent yet.
        Assert.Contains("No alert sent or pending in these days.", await client.GetStringAsync("/alerts?from=2026-05-13&to=2026-05-13&status=sent"));
        // Another week holds none.
        Assert.Contains("0 alerts raised", await client.GetStringAsync("/alerts?from=2026-04-01&to=2026-04-07"));
    }

    [Theory]
    [InlineData("/alerts?status=lost", "status")]
    [InlineData("/alerts?from=May", "from")]
    [InlineData("/alerts?channel=mail", "channel")]
    public async Task A_bad_alerts_filter_is_400_naming_it(string url, string parameter)
    {
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a"), new { }, Now);
        await using var server = await DashboardServer.StartAsync(world.ConfigPath);
        using var client = server.Client();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync());
    }
}
