using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SolidarityTracker.Alerts;
using SolidarityTracker.Configuration;
using SolidarityTracker.Incidents;
using SolidarityTracker.Polling;
using SolidarityTracker.Sources;
using SolidarityTracker.Storage;
using SolidarityTracker.Worker;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// The library's services as the program builds them (AddTracker) over a test folder, with a clock the test moves and,
/// optionally, hand-written sources in place of the real ones: a poll cycle, the outbox and dispatcher, the stores.
/// </summary>
public sealed class AlertWorld : IDisposable
{
    private readonly ServiceProvider _services;
    public TestDirectory Directory { get; } = new();
    public string ConfigPath { get; }
    public TrackerSettings Settings { get; }
    public ManualClock Clock { get; }

    /// <param name="store">Switches that choose the store (Tracker:Provider postgres and its connection string); the test folder's SQLite file when empty.</param>
    public AlertWorld(object agencies, object alerts, DateTimeOffset now, object? sources = null, object? polling = null, string[]? store = null, params ISource[] replaced)
        : this(agencies, alerts, now, sources, polling, digest: null, store, replaced)
    {
    }

    /// <param name="digest">The Digest section (its Email is the alert mail's SMTP server); the test default when null.</param>
    public AlertWorld(object agencies, object alerts, DateTimeOffset now, object? sources, object? polling, Func<TestDirectory, object>? digest, string[]? store = null, params ISource[] replaced)
    {
        ConfigPath = Config.Write(Directory, agencies: agencies, alerts: alerts, sources: sources, polling: polling, digest: digest?.Invoke(Directory));
        Settings = SettingsLoader.Load(ConfigurationLoader.Build(ConfigPath, store ?? [], Directory.Path), CronSchedule.IsValid);
        Clock = new ManualClock(now);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddTracker(Settings);
        services.AddSingleton<TimeProvider>(Clock);
        foreach (var source in replaced) services.AddSingleton(source);
        _services = services.BuildServiceProvider();
        Get<AccountStore>().SyncAsync(Settings.Tracker.Agencies).GetAwaiter().GetResult();
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public PollCycle Cycle => Get<PollCycle>();
    public AlertDispatcher Dispatcher => Get<AlertDispatcher>();
    public IReadOnlyList<AlertRecord> Alerts => Get<AlertLog>().List();
    public IReadOnlyList<Incident> Incidents => Get<IncidentStore>().List();

    public long Scalar(string sql)
    {
        using var connection = Get<TrackerDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Dispose();
    }
}
