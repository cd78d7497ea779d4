using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using Serilog;
using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;
using SolidarityTracker.Model;
using SolidarityTracker.Polling;
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

    public static async Task<int> RunWorkerAsync(CliApp app, bool once, CancellationToken cancellationToken)
    {
        app.Worker = true;
        var settings = app.Settings;
        if (once) return await RunOnceAsync(app, cancellationToken);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddConfiguration(app.Configuration);
        builder.Services.AddSerilog(CliApp.CreateLogger(app.Configuration, worker: true), dispose: true);
        builder.Services.AddSystemd();
        builder.Services.AddTracker(settings);
        builder.Services.AddQuartz(quartz =>
        {
            var poll = new JobKey("poll");
            quartz.AddJob<PollJob>(poll);
            quartz.AddTrigger(trigger => trigger.ForJob(poll).WithIdentity("poll-cron")
                .WithCronSchedule(CronSchedule.Normalize(settings.Polling.Cron)!, cron => cron.InTimeZone(settings.TimeZone).WithMisfireHandlingInstructionDoNothing())
                .StartNow());
            var digest = new JobKey("digest");
            quartz.AddJob<DigestJob>(digest);
            quartz.AddTrigger(trigger => trigger.ForJob(digest).WithIdentity("digest-cron")
                .WithCronSchedule(CronSchedule.Normalize(settings.Digest.Cron)!, cron => cron.InTimeZone(settings.TimeZone).WithMisfireHandlingInstructionFireAndProceed()));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));

        using var host = builder.Build();
        await host.Services.GetRequiredService<Storage.AccountStore>().SyncAsync(settings.Tracker.Agencies, cancellationToken);
        await host.RunAsync(cancellationToken);
        return TrackerCli.Success;
    }

    private static async Task<int> RunOnceAsync(CliApp app, CancellationToken cancellationToken)
    {
        await app.SyncAccountsAsync(cancellationToken);
        var summary = await app.Get<PollCycle>().RunAsync(cancellationToken: cancellationToken);
        PollCommand.PrintSummary(app.Out, summary);
        var today = LocalDay.Of(app.Get<TimeProvider>().GetUtcNow(), app.Settings.TimeZone);
        var outcome = await app.Get<DigestService>().RunAsync(new DigestRequest(today, Send: app.Settings.Digest.Email.Enabled), cancellationToken);
        DigestCommand.PrintOutcome(app.Out, outcome);
        return summary.Failures > 0 ? TrackerCli.RuntimeFailure : TrackerCli.Success;
    }
}
