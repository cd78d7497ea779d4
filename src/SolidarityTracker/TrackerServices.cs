using Microsoft.Extensions.DependencyInjection;
using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;
using SolidarityTracker.Polling;
using SolidarityTracker.Sources;
using SolidarityTracker.Sources.Bluesky;
using SolidarityTracker.Sources.Mastodon;
using SolidarityTracker.Sources.Rss;
using SolidarityTracker.Sources.X;
using SolidarityTracker.Storage;

namespace SolidarityTracker;

/// <summary>The library's services, the same for the command line and the worker.</summary>
public static class TrackerServices
{
    public const string SourcesHttpClient = "sources";

    public static IServiceCollection AddTracker(this IServiceCollection services, TrackerSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new TrackerDatabase(settings.Tracker.Database));
        services.AddSingleton<AccountStore>();
        services.AddSingleton<PostStore>();
        services.AddSingleton<RunLog>();
        services.AddSingleton<IPostClassifier, LexiconClassifier>();

        services.AddHttpClient(SourcesHttpClient, client =>
        {
            client.Timeout = settings.Polling.RequestTimeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("SolidarityTracker/1.0 (+https://github.com/solidarity-tracker)");
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(settings.Polling.MaxConcurrency, 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        });
        services.AddSingleton<ISource, RssSource>();
        services.AddSingleton<ISource, XSource>();
        services.AddSingleton<ISource, MastodonSource>();
        services.AddSingleton<ISource, BlueskySource>();
        services.AddSingleton<PollCycle>();

        services.AddSingleton<DigestService>();
        services.AddSingleton<Sources.Archives.ArchiveImporter>();
        return services;
    }
}
