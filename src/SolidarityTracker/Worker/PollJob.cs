using Microsoft.Extensions.Hosting;
using Quartz;

namespace SolidarityTracker.Worker;

/// <summary>The Quartz adapter for one tick of the schedule (Polling:Cron); a tick never overlaps the previous one.</summary>
[DisallowConcurrentExecution]
public sealed class PollJob(PollCycle cycle, PollScheduler scheduler, TrackerSettings settings, IHostApplicationLifetime lifetime, ILogger<PollJob> logger) : IJob
{
    /// <summary>The poll job and its triggers: a poll now and on Polling:Cron in the time zone (a late cycle is skipped, not piled up).</summary>
    public static (IJobDetail Job, IReadOnlyCollection<ITrigger> Triggers) Define(TrackerSettings settings)
    {
        var job = JobBuilder.Create<PollJob>().WithIdentity("poll").StoreDurably().Build();
        ITrigger start = TriggerBuilder.Create().ForJob(job).WithIdentity("poll-start").StartNow().Build();
        ITrigger cron = TriggerBuilder.Create().ForJob(job).WithIdentity("poll-cron")
            .WithCronSchedule(CronSchedule.Normalize(settings.Polling.Cron)!, c => c.InTimeZone(settings.TimeZone).WithMisfireHandlingInstructionDoNothing())
            .Build();
        return (job, [start, cron]);
    }

    public async Task Execute(IJobExecutionContext context)
    {
        // Shutdown (SIGTERM, Ctrl+C) cancels the cycle between pages: the page being stored is finished, the rest abandoned.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var summary = await cycle.RunScheduledAsync(scheduler, stopping.Token);
            logger.LogInformation("Poll cycle: {Accounts} accounts, {NewPosts} new posts, {Failures} failures, {Requests} requests in {ElapsedMs} ms",
                summary.Accounts.Count, summary.NewPosts, summary.Failures, summary.Requests, (long)(summary.FinishedAt - summary.StartedAt).TotalMilliseconds);
            WriteHealth(summary);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogInformation("Poll cycle stopped for shutdown; stored pages are kept and the next cycle resumes from their cursors");
        }
        catch (Exception ex)
        {
            // The scheduler and the next cycle go on; the account rows already say what failed.
            logger.LogError("Poll cycle failed: {Error}", ex.Message);
        }
    }

    /// <summary>
    /// A small health file beside the database ("tracker.db.health.json"), rewritten after every cycle, for a
    /// monitoring check that only reads files: when the last cycle finished, and how it went. With PostgreSQL it is
    /// the node's own, at the same place (Tracker:Database names it; no SQLite file is made there).
    /// </summary>
    private void WriteHealth(PollSummary summary)
    {
        var path = Path.GetFullPath(settings.Tracker.Database) + ".health.json";
        try
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new
            {
                last_poll_started = summary.StartedAt.UtcDateTime,
                last_poll_finished = summary.FinishedAt.UtcDateTime,
                accounts = summary.Accounts.Count,
                failing = summary.Failures,
                new_posts = summary.NewPosts,
                requests = summary.Requests,
            });
            AtomicFile.WriteAllText(path, json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not write the health file {Path}: {Error}", path, ex.Message);
        }
    }
}
