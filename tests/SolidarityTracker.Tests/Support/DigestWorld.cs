using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;
using SolidarityTracker.Model;
using SolidarityTracker.Sources;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A real SQLite file in a temp folder with configured agencies (each with an X account), seeded through the
/// real stores, and the real DigestService over it. Posts go in with PostStore.ImportAsync, as an archive would.
/// </summary>
public sealed class DigestWorld : IDisposable
{
    public TestDirectory Dir { get; } = new();
    public TrackerDatabase Database { get; }
    public PostStore Posts { get; }
    public AccountStore Accounts { get; }
    public TrackerSettings Settings { get; }
    public string ConfigFile { get; }
    public string OutputDirectory => Dir.File("digests");
    private int _next;

    public static readonly (string Id, string Name, string State, string Handle)[] DefaultAgencies =
    [
        ("millbrook-pd", "Millbrook Police Department", "NY", "MillbrookPD"),
        ("hamden-pd", "Hamden Police Department", "CT", "HamdenPD"),
        ("oakmont-pd", "Oakmont Police", "PA", "OakmontPD"),
        ("cedar-so", "Cedar County Sheriff", "NJ", "CedarSheriff"),
        ("river-pd", "River City Police", "NY", "RiverCityPD"),
    ];

    /// <param name="quietAgencies">More configured agencies in NY (ids quiet-1, quiet-2, …) that post nothing: a national store's silent many.</param>
    public DigestWorld(string timeZone = "America/New_York", object? email = null, string? templates = null, int quietAgencies = 0)
    {
        var agencies = DefaultAgencies.Select(a => (object)new
        {
            a.Id, a.Name, a.State,
            Accounts = new object[] { new { Platform = "x", Handle = a.Handle }, new { Platform = "mastodon", Handle = $"{a.Handle.ToLowerInvariant()}@police.social" } },
        }).Concat(Enumerable.Range(1, quietAgencies).Select(i => (object)new
        {
            Id = $"quiet-{i}", Name = $"Quiet Township {i} Police", State = "NY",
            Accounts = new object[] { new { Platform = "rss", Url = $"https://quiet{i}.example.org/news.rss" } },
        })).ToArray();
        var digest = new Dictionary<string, object?> { ["TimeZone"] = timeZone, ["OutputDirectory"] = OutputDirectory };
        if (email is not null) digest["Email"] = email;
        if (templates is not null) digest["Templates"] = templates;
        ConfigFile = Config.Write(Dir, agencies: agencies, digest: digest);
        using var app = new Cli.CliApp(ConfigFile, [], TextWriter.Null, TextWriter.Null);
        Settings = app.Settings;
        Database = new TrackerDatabase(Settings.Tracker.Database);
        Posts = new PostStore(Database);
        Accounts = new AccountStore(Database);
        Accounts.SyncAsync(Settings.Tracker.Agencies).GetAwaiter().GetResult();
    }

    public DigestService Service(TrackerSettings? settings = null) =>
        new(settings ?? Settings, Posts, Accounts, Database, TimeProvider.System);

    /// <summary>One post with the labels (and evidence) the classifier would have given it.</summary>
    public Post Post(string agencyId, DateTimeOffset createdAt, string text, string[]? labels = null, string platform = "x", string? url = null, bool repost = false)
    {
        var id = Interlocked.Increment(ref _next);
        var handle = DefaultAgencies.FirstOrDefault(a => a.Id == agencyId).Handle ?? agencyId;
        return new Post
        {
            Platform = platform,
            PostId = $"{agencyId}-{id}",
            AgencyId = agencyId,
            Account = handle.ToLowerInvariant(),
            CreatedAt = createdAt,
            Url = url ?? $"https://x.com/{handle}/status/{1000 + id}",
            Text = text,
            IsRepost = repost,
        };
    }

    public Task AddAsync(params (Post Post, string[] Labels)[] posts) => AddAsync(posts, null);

    public async Task AddAsync((Post Post, string[] Labels)[] posts, IReadOnlyList<Agency>? moreAgencies)
    {
        var labels = posts.Select(p => new ClassificationResult(
            p.Labels,
            Labels.All.ToDictionary(l => l, l => p.Labels.Contains(l) ? 0.9 : 0.05),
            p.Labels.Select(l => new Evidence(l, EvidenceFor(l), 1.2)).ToList(),
            "test")).ToList();
        var agencies = DefaultAgencies.Select(a => new Agency(a.Id, a.Name, a.State)).Concat(moreAgencies ?? []).ToDictionary(a => a.Id);
        await Posts.ImportAsync(posts.Select(p => p.Post).ToList(), labels, agencies, DateTimeOffset.UtcNow);
    }

    public static string EvidenceFor(string label) => label switch
    {
        Labels.Condolence => "thoughts and prayers",
        Labels.Memorial => "mourning band",
        _ => "report anything",
    };

    public AccountState Account(string agencyId, string platform = "x") =>
        Accounts.All().First(a => a.AgencyId == agencyId && a.Platform == platform);

    /// <summary>Two profile snapshots through the real page store: the old look, then the new one at <paramref name="changedAt"/>.</summary>
    public async Task ChangeProfileAsync(string agencyId, string oldName, string newName, string? oldAvatar, string? newAvatar, DateTimeOffset changedAt)
    {
        var account = Account(agencyId);
        await Posts.SavePageAsync(account, new SourcePage([], null, 1, new ProfileSnapshot(oldName, oldAvatar, changedAt.AddDays(-10))), [], changedAt.AddDays(-10));
        await Posts.SavePageAsync(account, new SourcePage([], null, 1, new ProfileSnapshot(newName, newAvatar, changedAt)), [], changedAt);
    }

    public async Task FailAsync(string agencyId, string kind, string message, int times, DateTimeOffset at, DateTimeOffset? lastSuccess = null)
    {
        var account = Account(agencyId);
        if (lastSuccess is { } ok) await Accounts.RecordSuccessAsync(account.Id, ok, profileChecked: false);
        for (var i = 0; i < times; i++) await Accounts.RecordFailureAsync(account.Id, kind, message, at.AddMinutes(i * 10), at.AddHours(1));
    }

    public static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();

    public void Dispose() => Dir.Dispose();
}
