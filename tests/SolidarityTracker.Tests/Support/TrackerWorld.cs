using SolidarityTracker.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Polling;
using SolidarityTracker.Sources;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A tracker assembled for a test from its real parts: a configuration file, settings validated from it, a SQLite file
/// in a temp folder and the stores over it. Sources are whatever the test hands in.
/// </summary>
public sealed class TrackerWorld : IDisposable
{
    public TestDirectory Directory { get; } = new();
    public string ConfigPath { get; }
    public TrackerSettings Settings { get; }
    public TrackerDatabase Database { get; }
    public AccountStore Accounts { get; }
    public PostStore Posts { get; }
    public RunLog Runs { get; }
    public ManualClock Clock { get; }

    public TrackerWorld(object agencies, DateTimeOffset? now = null, object? polling = null)
    {
        ConfigPath = Config.Write(Directory, agencies: agencies, polling: polling);
        Settings = SettingsLoader.Load(ConfigurationLoader.Build(ConfigPath, [], Directory.Path), CronSchedule.IsValid);
        Database = new TrackerDatabase(Settings.Tracker.Database);
        Accounts = new AccountStore(Database);
        Posts = new PostStore(Database);
        Runs = new RunLog(Database);
        Clock = new ManualClock(now ?? new DateTimeOffset(2026, 5, 13, 12, 0, 0, TimeSpan.Zero));
        Accounts.SyncAsync(Settings.Tracker.Agencies).GetAwaiter().GetResult();
    }

    public PollCycle Cycle(params ISource[] sources) =>
        new(Accounts, Posts, Runs, sources, new LexiconClassifier(), Settings, Clock, NullLogger<PollCycle>.Instance);

    /// <summary>Agencies with one rss account each, the handle being the feed URL "https://feeds.example/{id}".</summary>
    public static object RssAgencies(params string[] ids) =>
        ids.Select(id => new { Id = id, Name = $"{id} Police Department", State = "OH", Accounts = new[] { new { Platform = "rss", Url = Feed(id) } } }).ToArray();

    public static string Feed(string id) => $"https://feeds.example/{id}";

    public long Scalar(string sql)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public string? Text(string sql)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }

    public void Dispose() => Directory.Dispose();
}
