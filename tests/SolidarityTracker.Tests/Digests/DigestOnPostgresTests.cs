using Microsoft.Data.Sqlite;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Digests;

/// <summary>The digest's mail with the store on PostgreSQL, where several nodes may try to send the same day's.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DigestOnPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Four_nodes_sending_the_same_days_digest_at_once_mail_it_once()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        using var world = new DigestWorld(email: new { Enabled = true, Host = "127.0.0.1", Port = smtp.Port, UseTls = "none", From = "digest@tracker.example", To = new[] { "pio@agency.example" } });
        await DigestScenario.SeedAsync(world);
        SqliteConnection.ClearAllPools();
        var store = await postgres.Server.NewStoreAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(["copy-store", "--config", world.ConfigFile, "--from", world.Settings.Tracker.Database, .. store])).ExitCode);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            CliRunner.RunAsync(["digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--send", .. store])));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var message = Assert.Single(smtp.Messages);
        Assert.Contains("2026-05-13", message.Subject);
    }
}
