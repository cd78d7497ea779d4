using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Export;

/// <summary>
/// A test folder with a configuration of four agencies in three states and a real SQLite file, seeded through
/// PostStore.ImportAsync with the labels each test gives.
/// </summary>
public sealed class ExportSeed : IDisposable
{
    public TestDirectory Dir { get; } = new();
    public string ConfigFile { get; }
    public TrackerDatabase Database { get; }
    public PostStore Store { get; }

    public static readonly Agency BatonRouge = new("brpd", "Baton Rouge Police", "LA");
    public static readonly Agency Shreveport = new("spd", "Shreveport Police", "LA");
    public static readonly Agency Hamden = new("hamden", "Hamden PD", "CT");
    public static readonly Agency Dallas = new("dpd", "Dallas Police", "TX");
    public static readonly Agency[] Agencies = [BatonRouge, Shreveport, Hamden, Dallas];

    public ExportSeed()
    {
        ConfigFile = Config.Write(Dir, agencies: Agencies.Select(a => new
        {
            a.Id, a.Name, a.State,
            Accounts = new[] { new { Platform = "rss", Url = $"http://127.0.0.1:9/{a.Id}.xml" } },
        }).ToArray());
        Database = new TrackerDatabase(Dir.File("tracker.db"));
        Store = new PostStore(Database);
    }

    public static ClassificationResult Labelled(params string[] labels) => new(
        labels,
        Labels.All.ToDictionary(l => l, l => labels.Contains(l) ? 0.9 : 0.05),
        labels.Select(l => new Evidence(l, "test phrase", 1.0)).ToList(),
        "test-1");

    public static Post Post(string platform, string id, Agency agency, string createdAtUtc, string text, string? url = null) => new()
    {
        Platform = platform,
        PostId = id,
        AgencyId = agency.Id,
        Account = agency.Id + "_account",
        CreatedAt = DateTimeOffset.Parse(createdAtUtc, System.Globalization.CultureInfo.InvariantCulture),
        Text = text,
        Url = url ?? $"https://example.org/{agency.Id}/{id}",
        Lang = "en",
    };

    public async Task AddAsync(params (Post Post, ClassificationResult Labels)[] posts)
    {
        await Store.ImportAsync(posts.Select(p => p.Post).ToList(), posts.Select(p => p.Labels).ToList(),
            Agencies.ToDictionary(a => a.Id), DateTimeOffset.UtcNow);
    }

    public void MarkDeleted(string platform, string postId)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE posts SET deleted_at = '2016-07-20T00:00:00.000Z' WHERE platform = $p AND post_id = $id;";
        command.Parameters.AddWithValue("$p", platform);
        command.Parameters.AddWithValue("$id", postId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--config", ConfigFile]);

    public void Dispose() => Dir.Dispose();
}
