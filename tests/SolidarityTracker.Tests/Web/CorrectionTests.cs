using System.Net;
using System.Net.Http.Json;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Web;

/// <summary>A label correction made through the API is the post's labels everywhere, and outlives reclassify.</summary>
public sealed class CorrectionTests
{
    [Fact]
    public async Task A_correction_becomes_the_labels_of_export_digest_and_roundup_survives_reclassify_and_feeds_eval()
    {
        using var world = new DigestWorld();
        // The classifier would call this a condolence; a person says it is a memorial only.
        var post = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Our thoughts and prayers are with Millbrook PD. Our badges wear a mourning band tonight.");
        var other = world.Post("oakmont-pd", Utc("2026-05-13T13:00:00Z"), "Lock your cars tonight.");
        await world.AddAsync((post, [Labels.Condolence]), (other, [Labels.SafetyReminder]));
        await using (var server = await DashboardServer.StartAsync(world.ConfigFile))
        {
            using var client = server.Client();
            var answer = await client.PutAsJsonAsync($"/api/posts/x/{post.PostId}/labels", new { labels = new[] { "memorial" }, by = "Sgt. Example" });
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var page = await client.GetStringAsync($"/posts/x/{post.PostId}");
            Assert.Contains("Sgt. Example", page);
        }

        async Task<string> Export() => (await CliRunner.RunAsync("export", "--config", world.ConfigFile, "--format", "csv")).Output;
        Assert.Contains($"{post.PostId},", await Export());
        Assert.Contains(",memorial,", (await Export()).Split('\n').Single(l => l.Contains(post.PostId)));

        var reclassify = await CliRunner.RunAsync("reclassify", "--config", world.ConfigFile);
        Assert.Equal(0, reclassify.ExitCode);
        Assert.Contains(",memorial,", (await Export()).Split('\n').Single(l => l.Contains(post.PostId)));
        Assert.Equal("memorial", world.Database.Open() is var c ? Scalar(c, $"SELECT labels FROM classifications WHERE post_id = (SELECT id FROM posts WHERE post_id = '{post.PostId}')") : null);

        var digest = await world.Service().BuildModelAsync(new DateOnly(2026, 5, 13));
        Assert.DoesNotContain(digest.LabelSections, s => s.Name == Labels.Condolence);
        Assert.Contains(digest.LabelSections.Single(s => s.Name == Labels.Memorial).Agencies, a => a.Id == "hamden-pd");
        var roundup = await CliRunner.RunAsync("roundup", "--config", world.ConfigFile, "--from", "2026-05-13", "--to", "2026-05-13", "--label", "memorial", "--format", "csv");
        Assert.Contains("hamden-pd", roundup.Output);

        var corrections = await CliRunner.RunAsync("corrections", "--config", world.ConfigFile, "--format", "jsonl");
        Assert.Equal(0, corrections.ExitCode);
        var line = Assert.Single(corrections.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"\"id\":\"x:{post.PostId}\"", line);
        Assert.Contains("\"labels\":[\"memorial\"]", line);
        var file = world.Dir.Write("corrections.jsonl", corrections.Output);
        var fromFile = await CliRunner.RunAsync("eval", file);
        var fromStore = await CliRunner.RunAsync("eval", "--corrections", "--config", world.ConfigFile);
        Assert.Equal(0, fromStore.ExitCode);
        Assert.Contains("1 posts", fromStore.Output);
        Assert.Equal(fromFile.Output, fromStore.Output);
    }

    private static string? Scalar(System.Data.Common.DbConnection connection, string sql)
    {
        using (connection)
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            return command.ExecuteScalar() as string;
        }
    }

    [Fact]
    public async Task Eval_corrections_without_any_correction_is_bad_input()
    {
        using var world = new DigestWorld();
        var result = await CliRunner.RunAsync("eval", "--corrections", "--config", world.ConfigFile);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no corrected post", result.Error);
    }
}
