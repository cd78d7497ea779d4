using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Web;

/// <summary>The dashboard and its API with the store on PostgreSQL: pages, search, and a correction that outlives reclassify.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DashboardOnPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_dashboard_on_postgres_serves_its_pages_and_search_and_a_correction_survives_reclassify()
    {
        using var world = new DigestWorld();
        var post = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Our thoughts and prayers are with Millbrook PD. Our badges wear a mourning band tonight.");
        var other = world.Post("oakmont-pd", Utc("2026-05-13T13:00:00Z"), "Lock your cars tonight.");
        await world.AddAsync((post, [Labels.Condolence]), (other, [Labels.SafetyReminder]));
        SqliteConnection.ClearAllPools();
        var store = await postgres.Server.NewStoreAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(["copy-store", "--config", world.ConfigFile, "--from", world.Settings.Tracker.Database, .. store])).ExitCode);

        await using (var server = await DashboardServer.StartAsync(world.ConfigFile, store))
        {
            using var client = server.Client();
            foreach (var path in new[] { "/", "/incidents", "/sources", "/alerts", "/api/status" })
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
            Assert.Contains("mourning band", await client.GetStringAsync("/search?q=%22mourning+band%22"));
            var api = await client.GetStringAsync("/api/posts?query=cars&limit=10");
            Assert.Contains(other.PostId, api);
            Assert.DoesNotContain(post.PostId, api);
            var answer = await client.PutAsJsonAsync($"/api/posts/x/{post.PostId}/labels", new { labels = new[] { "memorial" }, by = "Sgt. Example" });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("Sgt. Example", await client.GetStringAsync($"/posts/x/{post.PostId}"));
            Assert.Empty(server.Errors);
        }

        async Task<string> Row() => (await CliRunner.RunAsync(["export", "--config", world.ConfigFile, "--format", "csv", .. store])).Output.Split('\n').Single(l => l.Contains(post.PostId));
        Assert.Contains(",memorial,", await Row());
        Assert.Equal(0, (await CliRunner.RunAsync(["reclassify", "--config", world.ConfigFile, .. store])).ExitCode);
        Assert.Contains(",memorial,", await Row());
        var corrections = await CliRunner.RunAsync(["corrections", "--config", world.ConfigFile, "--format", "jsonl", .. store]);
        Assert.Contains("\"labels\":[\"memorial\"]", Assert.Single(corrections.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
