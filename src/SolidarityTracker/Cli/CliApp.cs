using SolidarityTracker.Worker;
using Microsoft.Extensions.Configuration;
using Serilog;

namespace SolidarityTracker.Cli;

/// <summary>
/// What every command shares: the configuration sources named on the command line, the output streams,
/// and the library's services, built on first use so `--help` and bad arguments cost nothing.
/// </summary>
public sealed class CliApp : IDisposable
{
    public string? ConfigFile { get; }
    public IReadOnlyList<string> Switches { get; }
    public TextWriter Out { get; }
    public TextWriter Error { get; }
    /// <summary>Where appsettings.json, templates/ and samples/ are found: the program's folder.</summary>
    public string BaseDirectory { get; }
    /// <summary>True for `run`: information-level logs; other commands log warnings and errors only.</summary>
    public bool Worker { get; set; }

    private IConfigurationRoot? _sources;
    private IConfigurationRoot? _configuration;
    private TrackerSettings? _settings;
    private ServiceProvider? _services;

    public CliApp(string? configFile, IReadOnlyList<string> switches, TextWriter output, TextWriter error, string? baseDirectory = null)
    {
        ConfigFile = configFile;
        Switches = switches;
        Out = output;
        Error = error;
        BaseDirectory = baseDirectory ?? AppContext.BaseDirectory;
    }

    /// <summary>The configuration sources in their order, which errors name.</summary>
    public IConfigurationRoot Sources => _sources ??= ConfigurationLoader.Build(ConfigFile, Switches, BaseDirectory);

    /// <summary>The configuration as read: later sources win, and a later list replaces an earlier one whole.</summary>
    public IConfigurationRoot Configuration => _configuration ??= ConfigurationLoader.Effective(Sources);

    public TrackerSettings Settings => _settings ??= SettingsLoader.Load(Sources, CronSchedule.IsValid);

    public IServiceProvider Services => _services ??= BuildServices();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A path of the program's own (templates/, samples/).</summary>
    public string Shipped(string relative) => Path.Combine(BaseDirectory, relative);

    private ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders().AddSerilog(CreateLogger(Configuration, Worker), dispose: true));
        services.AddTracker(Settings);
        services.AddSingleton(this);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Serilog as appsettings configures it. Commands other than `run` keep to warnings so their output stays readable,
    /// unless the user asked for more (Debug, Verbose) or less (Error, Fatal) than the shipped Information.
    /// </summary>
    public static Serilog.ILogger CreateLogger(IConfiguration configuration, bool worker)
    {
        var logger = new LoggerConfiguration().ReadFrom.Configuration(configuration);
        if (!worker && ConfiguredLevel(configuration) is null or Serilog.Events.LogEventLevel.Information) logger.MinimumLevel.Warning();
        if (!configuration.GetSection("Serilog:WriteTo").GetChildren().Any())
            logger.WriteTo.Console(outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose);
        return logger.CreateLogger();
    }

    private static Serilog.Events.LogEventLevel? ConfiguredLevel(IConfiguration configuration)
    {
        var text = configuration["Serilog:MinimumLevel:Default"] ?? configuration["Serilog:MinimumLevel"];
        return Enum.TryParse<Serilog.Events.LogEventLevel>(text, ignoreCase: true, out var level) ? level : null;
    }

    /// <summary>
    /// Opens the database and lines its agencies and accounts up with configuration; then, unless told not to, says in
    /// one line on standard error when the database holds no agency and no post (<see cref="NoteIfEmpty"/>).
    /// </summary>
    public async Task SyncAccountsAsync(CancellationToken cancellationToken, bool noteIfEmpty = true)
    {
        await Get<AccountStore>().SyncAsync(Settings.Tracker.Agencies, cancellationToken);
        if (noteIfEmpty) NoteIfEmpty();
    }

    /// <summary>
    /// A database with no agencies and no posts is most often the wrong one (a relative Tracker:Database opened from
    /// another folder, or a command run without the demo's --config): one line on standard error, not an error.
    /// </summary>
    public void NoteIfEmpty()
    {
        var database = Get<TrackerDatabase>();
        if (!database.IsEmpty()) return;
        var demo = Path.Combine("demo", "demo.config.json");
        var hint = File.Exists(demo) ? $"; for the demo's data add --config {demo}" : "";
        Error.WriteLine($"note: the database {database.Path} ({(database.IsPostgres ? "Tracker:ConnectionString" : "Tracker:Database")}) has no agencies and no posts{hint}");
    }

    public void Dispose() => _services?.Dispose();
}
