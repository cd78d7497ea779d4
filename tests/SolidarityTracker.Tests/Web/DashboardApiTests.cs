using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Digests;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Web;

/// <summary>The JSON API over a real Kestrel on loopback and a real SQLite file, through the `serve` command.</summary>
public sealed class DashboardApiTests
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Api_posts_pages_through_every_post_with_an_opaque_cursor_while_new_posts_are_stored()
    {
        using var world = new DigestWorld();
        await world.AddAsync(Enumerable.Range(0, 7).Select(i =>
            (world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z").AddMinutes(i), $"Thoughts and prayers {i}"), new[] { Labels.Condolence })).ToArray());
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Json(await client.GetAsync($"/api/posts?limit=3{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"));
            seen.AddRange(page.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("text").GetString()!));
            cursor = page.GetProperty("cursor").GetString();
            if (pages++ == 0)
            {
                // Posts stored between two pages, older and newer than the boundary, move no page boundary.
                await world.AddAsync(
                    (world.Post("oakmont-pd", Utc("2026-05-13T11:00:00Z"), "Thoughts and prayers, older"), [Labels.Condolence]),
                    (world.Post("oakmont-pd", Utc("2026-05-13T13:00:00Z"), "Thoughts and prayers, newer"), [Labels.Condolence]));
            }
        } while (cursor is not null);

        Assert.Equal([.. Enumerable.Range(0, 7).Select(i => $"Thoughts and prayers {i}"), "Thoughts and prayers, newer"], seen);
        Assert.Equal(3, pages);
        var first = (await Json(await client.GetAsync("/api/posts?limit=1&query=prayers"))).GetProperty("posts")[0];
        foreach (var column in SolidarityTracker.Export.ExportColumns.All) Assert.True(first.TryGetProperty(column, out _), column);
        Assert.Equal("condolence", first.GetProperty("labels").GetString());
    }

    [Theory]
    [InlineData("/api/posts?limit=1001", "limit")]
    [InlineData("/api/posts?limit=zero", "limit")]
    [InlineData("/api/posts?from=2026-13-01", "from")]
    [InlineData("/api/posts?from=2026-05-14&to=2026-05-13", "from")]
    [InlineData("/api/posts?label=sad", "label")]
    [InlineData("/api/posts?platform=myspace", "platform")]
    [InlineData("/api/posts?query=%22unbalanced", "query")]
    [InlineData("/api/posts?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/posts?q=Millbrook", "q")]
    [InlineData("/api/incidents?from=May", "from")]
    public async Task A_bad_parameter_is_400_with_a_json_error_naming_it(string url, string parameter)
    {
        using var world = new DigestWorld();
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Json(response);
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Status_incidents_health_and_the_openapi_document_answer_and_the_document_names_every_api_route()
    {
        using var world = new DigestWorld();
        await DigestScenario.SeedAsync(world);
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var status = await Json(await client.GetAsync("/api/status"));
        Assert.Equal(10, status.GetProperty("accounts").GetArrayLength());
        Assert.Contains(status.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("consecutive_failures").GetInt32() == 3 && a.GetProperty("last_error_kind").GetString() == "rate_limited");
        // The same state word as `status`, on the API and on the sources page.
        Assert.Contains(status.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("consecutive_failures").GetInt32() == 3 && a.GetProperty("state").GetString() == "failing");
        Assert.Contains("<span class=\"bad\">failing</span>", await client.GetStringAsync("/sources"));

        var incidents = await Json(await client.GetAsync("/api/incidents?from=2026-05-13&to=2026-05-13"));
        var incident = incidents.GetProperty("incidents")[0];
        Assert.StartsWith("2026-05-13-", incident.GetProperty("id").GetString());
        Assert.True(incident.GetProperty("agencies").GetArrayLength() >= 3);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/incidents/{incident.GetProperty("id").GetString()}")).StatusCode);

        var openapi = await Json(await client.GetAsync("/api/openapi.json"));
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var route in new[] { "/api/posts", "/api/incidents", "/api/status", "/api/posts/{platform}/{post_id}/labels", "/healthz" }) Assert.Contains(route, paths);
    }

    [Fact]
    public async Task An_incident_page_names_at_most_forty_silent_agencies_per_state_and_points_to_the_roundup_for_the_rest()
    {
        using var world = new DigestWorld(quietAgencies: 70);
        await DigestScenario.SeedAsync(world);
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        var id = (await Json(await client.GetAsync("/api/incidents?from=2026-05-13&to=2026-05-13"))).GetProperty("incidents")[0].GetProperty("id").GetString();

        var page = await client.GetStringAsync($"/incidents/{id}");
        var csv = await client.GetStringAsync($"/incidents/{id}/roundup.csv");

        var named = System.Text.RegularExpressions.Regex.Matches(page, @"Quiet Township \d+ Police").Count;
        Assert.Equal(SolidarityTracker.Web.PageEndpoints.NotHeardShown, named);
        Assert.Matches(@"and \d+ more \(all of them in <a href=""/incidents/[^""]+/roundup\.csv"">roundup\.csv</a>\)", page);
        Assert.Equal(70, System.Text.RegularExpressions.Regex.Matches(csv, @"Quiet Township \d+ Police").Count);
    }

    [Fact]
    public async Task An_incident_page_shows_at_most_a_hundred_responders_per_state_and_the_roundup_downloads_have_them_all()
    {
        using var world = new DigestWorld(quietAgencies: 110);
        await DigestScenario.SeedAsync(world);
        await world.AddAsync(Enumerable.Range(1, 110).Select(i => (world.Post($"quiet-{i}", Utc("2026-05-13T17:00:00Z").AddSeconds(i),
            $"Quiet Township {i} Police sends condolences to Millbrook PD on the loss of Officer Daniel Reyes. #MillbrookStrong"), new[] { Labels.Condolence })).ToArray());
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        var incidents = (await Json(await client.GetAsync("/api/incidents?from=2026-05-13&to=2026-05-13"))).GetProperty("incidents");
        var id = incidents.EnumerateArray().OrderByDescending(i => i.GetProperty("agencies").GetArrayLength()).First().GetProperty("id").GetString();

        var page = await client.GetStringAsync($"/incidents/{id}");
        var csv = await client.GetStringAsync($"/incidents/{id}/roundup.csv");

        // New York has 112 responders (Millbrook and River City first, then the 110 townships): the first 100 are shown;
        // Connecticut, Pennsylvania and New Jersey have one each.
        var shown = System.Text.RegularExpressions.Regex.Matches(page, @"<li><strong>").Count;
        Assert.Equal(SolidarityTracker.Web.PageEndpoints.RespondersShown + 3, shown);
        Assert.Contains("and 12 more agencies of", page);
        Assert.Equal(110, System.Text.RegularExpressions.Regex.Matches(csv, @"Quiet Township \d+ Police").Select(m => m.Value).Distinct().Count());
    }

    [Fact]
    public async Task An_incident_page_kept_between_visits_shows_a_correction_on_the_next_visit()
    {
        using var world = new DigestWorld(quietAgencies: 3);
        await DigestScenario.SeedAsync(world);
        var township = Enumerable.Range(1, 3).Select(i => world.Post($"quiet-{i}", Utc("2026-05-13T17:00:00Z").AddSeconds(i),
            $"Quiet Township {i} Police sends condolences to Millbrook PD on the loss of Officer Daniel Reyes. #MillbrookStrong")).ToList();
        await world.AddAsync(township.Select(p => (p, new[] { Labels.Condolence })).ToArray());
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        var incidents = (await Json(await client.GetAsync("/api/incidents?from=2026-05-13&to=2026-05-13"))).GetProperty("incidents");
        var id = incidents.EnumerateArray().OrderByDescending(i => i.GetProperty("agencies").GetArrayLength()).First().GetProperty("id").GetString();
        static int Responding(string page) => System.Text.RegularExpressions.Regex.Matches(page, @"<strong>Quiet Township \d+ Police</strong>").Count;

        Assert.Equal(3, Responding(await client.GetStringAsync($"/incidents/{id}")));
        Assert.Equal(3, Responding(await client.GetStringAsync($"/incidents/{id}")));

        var corrected = await client.PutAsJsonAsync($"/api/posts/x/{township[0].PostId}/labels", new { labels = new[] { "other" } });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(2, Responding(await client.GetStringAsync($"/incidents/{id}")));
    }

    [Fact]
    public async Task A_correction_of_an_unknown_post_is_404_and_of_an_unknown_label_400()
    {
        using var world = new DigestWorld();
        var post = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Thoughts and prayers");
        await world.AddAsync((post, [Labels.Condolence]));
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        var missing = await client.PutAsJsonAsync("/api/posts/x/999/labels", new { labels = new[] { "memorial" } });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var bad = await client.PutAsJsonAsync($"/api/posts/x/{post.PostId}/labels", new { labels = new[] { "grief" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("labels", (await Json(bad)).GetProperty("parameter").GetString());
        var notJson = await client.PutAsync($"/api/posts/x/{post.PostId}/labels", new StringContent("labels=memorial"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }
}
