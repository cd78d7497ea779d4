using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using SolidarityTracker.Alerts;
using SolidarityTracker.Classification;
using SolidarityTracker.Incidents;
using SolidarityTracker.Digests;
using SolidarityTracker.Polling;
using SolidarityTracker.Sources;
using SolidarityTracker.Sources.Bluesky;
using SolidarityTracker.Sources.Mastodon;
using SolidarityTracker.Sources.Rss;
using SolidarityTracker.Sources.X;

namespace SolidarityTracker;

/// <summary>The library's services, the same for the command line and the worker.</summary>
public static class TrackerServices
{
    public const string SourcesHttpClient = "sources";

    public static IServiceCollection AddTracker(this IServiceCollection services, TrackerSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        if (settings.Tracker.Provider == StoreProviders.Postgres)
        {
            // A page is stored with synchronous Npgsql calls inside the poll's async flow, each holding a pool thread for a
            // round trip: with Polling:MaxConcurrency polls at once the thread pool would add threads slowly, one by one,
            // and the polls would wait on it rather than on the platforms (bench poll --provider postgres --accounts 10000:
            // two nodes 1.67-1.70x one node's rate with the default pool, 1.73x with these threads there from the start).
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, settings.Polling.MaxConcurrency * 4), io);
            var postgres = new Storage.Postgres.PostgresDatabase(settings.Tracker.ConnectionString!);
            services.AddSingleton(postgres);
            services.AddSingleton(TrackerDatabase.OnPostgres(postgres));
        }
        else services.AddSingleton(new TrackerDatabase(settings.Tracker.Database));
        services.AddSingleton<AccountStore>();
        services.AddSingleton<IncidentDetector>();
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<IPageObserver>(sp => sp.GetRequiredService<AlertOutbox>());
        services.AddSingleton<PostStore>();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton(sp => new AlertTemplates(settings));
        services.AddSingleton<AlertChannels>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<AlertLog>();
        services.AddHttpClient(AlertChannels.HttpClientName, client =>
        {
            client.Timeout = settings.Alerts.SendTimeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("SolidarityTracker/1.0 (+https://github.com/solidarity-tracker)");
        });
        services.AddSingleton<RunLog>();
        services.AddSingleton<PlatformCaps>();
        services.AddSingleton<XReadBudget>();
        services.AddSingleton<IPostClassifier>(_ => new LexiconClassifier(settings.Classifier));

        services.AddHttpClient(SourcesHttpClient, client =>
        {
            client.Timeout = settings.Polling.RequestTimeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("SolidarityTracker/1.0 (+https://github.com/solidarity-tracker)");
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(settings.Polling.MaxConcurrency, 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        })
        // Outside the retries: what still fails after them is worded once, with its host.
        .AddHttpMessageHandler(() => new UnreachableHostHandler())
        .AddResilienceHandler("sources-retry", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            // Only a connection that failed before any answer is retried here, twice, quickly. A status code (429, 5xx)
            // is the source's to judge: it records it on the account's row and the poll cycle backs off.
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException { StatusCode: null }),
        }));
        // Each retry of a connection is logged at Debug (with its stack trace), never as a warning: the account's one
        // failure line says what finally happened.
        services.ConfigureAll<Polly.Telemetry.TelemetryOptions>(options => options.SeverityProvider = args =>
            args.Event.EventName is "ExecutionAttempt" or "OnRetry" ? Polly.Telemetry.ResilienceEventSeverity.Debug : args.Event.Severity);
        services.AddSingleton<ISource, RssSource>();
        services.AddSingleton<ISource, XSource>();
        services.AddSingleton<ISource, MastodonSource>();
        services.AddSingleton<BlueskySource>();
        services.AddSingleton<ISource>(sp => sp.GetRequiredService<BlueskySource>());
        services.AddSingleton<PollCycle>();
        services.AddSingleton<RequestBudget>();
        services.AddSingleton<IOpenIncidents>(sp => sp.GetRequiredService<IncidentStore>());
        services.AddSingleton<JetstreamStream>();
        services.AddSingleton<IStreamCoverage>(sp => sp.GetRequiredService<JetstreamStream>());
        services.AddSingleton<IScheduleSource>(sp => sp.GetRequiredService<AccountStore>());
        services.AddSingleton<PollScheduler>();

        services.AddSingleton<DigestService>();
        services.AddSingleton<Import.ArchiveImporter>();
        return services;
    }
}
