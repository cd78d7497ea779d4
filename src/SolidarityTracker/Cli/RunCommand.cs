using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Quartz;
using Serilog;
using SolidarityTracker.Worker;

namespace SolidarityTracker.Cli;

/// <summary>`run`: the worker, with Quartz schedules for polling and the digest. `run --once`: one poll, today's digest, exit.</summary>
public static class RunCommand
{
    public static Command Create(CliApp app)
    {
        var once = CliOptions.Flag("--once", "Poll every account once, render the digest of the current local day, then exit.");
        var command = new Command("run", "Run the worker: poll on Polling:Cron, render the digest on Digest:Cron.") { once };
        command.SetAction((parse, ct) => RunWorkerAsync(app, parse.GetValue(once), ct));
        return command;
    }

    public static async Task<int> RunWorkerAsync(CliApp app, bool once, CancellationToken cancellationToken, Action<IServiceCollection>? configureServices = null)
    {
        app.Worker = true;
        var settings = app.Settings;
        if (!settings.Tracker.Agencies.SelectMany(a => a.Accounts).Any(a => a.Enabled))
            await app.Error.WriteLineAsync(settings.Tracker.Agencies.Count == 0
                ? "warning: no agencies are configured (Tracker:Agencies is empty), so nothing will be polled; name them in a --config file (README: Configuring real accounts)"
                : "warning: no enabled account is configured (every account of Tracker:Agencies has Enabled: false), so nothing will be polled");
        if (once) return await RunOnceAsync(app, cancellationToken);

        // With Web:Enabled the worker's host is the web's: one process polls, renders digests and serves the dashboard.
        var web = settings.Web.Enabled ? Web.WebServer.CreateBuilder(app) : null;
        IHostApplicationBuilder builder = web is not null ? web : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        if (web is null)
        {
            builder.Configuration.AddConfiguration(app.Configuration);
            builder.Services.AddSerilog(CliApp.CreateLogger(app.Configuration, worker: true), dispose: true);
            builder.Services.AddTracker(settings);
        }
        builder.Services.AddSystemd();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddQuartz(quartz =>
        {
            QuartzStore.Configure(quartz, settings);
            Schedule(quartz, settings, app.Get<DigestService>().IsDone, TimeProvider.System.GetUtcNow());
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<AlertDispatchService>();
        builder.Services.AddHostedService<NodePollService>();
        if (!string.IsNullOrWhiteSpace(settings.Sources.Bluesky.Jetstream)) builder.Services.AddHostedService<Worker.JetstreamService>();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));

        using IHost host = web is not null ? Web.WebServer.Map(web.Build()) : ((HostApplicationBuilder)builder).Build();
        await host.Services.GetRequiredService<Storage.AccountStore>().SyncAsync(settings.Tracker.Agencies, cancellationToken);
        if (web is not null) host.Services.GetRequiredService<Web.PageRenderer>().Check();
        await host.RunAsync(cancellationToken);
        return TrackerCli.Success;
    }

    /// <summary>
    /// The digest's job in the shared scheduler (clustered with postgres: it fires on one node): on Digest:Cron in
    /// Digest:TimeZone, plus one catch-up run when the last scheduled digest was missed. The poll job is each node's own
    /// (<see cref="NodePollService"/>).
    /// </summary>
    public static void Schedule(IServiceCollectionQuartzConfigurator quartz, TrackerSettings settings, Func<DateOnly, bool> digestDone, DateTimeOffset now)
    {
        var digest = new JobKey("digest");
        var digestCron = CronSchedule.Normalize(settings.Digest.Cron)!;
        quartz.AddJob<DigestJob>(digest);
        quartz.AddTrigger(trigger => trigger.ForJob(digest).WithIdentity("digest-cron")
            .WithCronSchedule(digestCron, cron => cron.InTimeZone(settings.TimeZone).WithMisfireHandlingInstructionFireAndProceed()));
        if (DigestCatchUp.MissedDay(digestCron, settings.TimeZone, now, digestDone) is { } missed)
        {
            quartz.AddTrigger(trigger => trigger.ForJob(digest).WithIdentity("digest-catch-up")
                .UsingJobData(DigestJob.DateKey, missed.ToString("yyyy-MM-dd")).StartNow());
        }
    }

    private static async Task<int> RunOnceAsync(CliApp app, CancellationToken cancellationToken)
    {
        await app.SyncAccountsAsync(cancellationToken, noteIfEmpty: false);
        // Asked by a person, like `poll`: every enabled account, in back-off or not.
        var summary = await app.Get<PollCycle>().RunAsync(null, PollScope.EveryEnabled, cancellationToken);
        PollCommand.PrintSummary(app.Out, summary, app.Settings.TimeZone);
        var today = LocalDay.Of(app.Get<TimeProvider>().GetUtcNow(), app.Settings.TimeZone);
        var outcome = await app.Get<DigestService>().RunAsync(new DigestRequest(today, Send: app.Settings.Digest.Email.Enabled), cancellationToken);
        DigestCommand.PrintOutcome(app.Out, outcome);
        return summary.Failures > 0 ? TrackerCli.RuntimeFailure : TrackerCli.Success;
    }
}
