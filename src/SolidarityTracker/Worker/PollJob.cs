using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using SolidarityTracker.Polling;

namespace SolidarityTracker.Worker;

/// <summary>The Quartz adapter for one poll cycle; a cycle never overlaps the previous one.</summary>
[DisallowConcurrentExecution]
public sealed class PollJob(PollCycle cycle, IHostApplicationLifetime lifetime, ILogger<PollJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        // Shutdown (SIGTERM, Ctrl+C) cancels the cycle between pages: the page being stored is finished, the rest abandoned.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var summary = await cycle.RunAsync(cancellationToken: stopping.Token);
            logger.LogInformation("Poll cycle: {Accounts} accounts, {NewPosts} new posts, {Failures} failures, {Requests} requests in {ElapsedMs} ms",
                summary.Accounts.Count, summary.NewPosts, summary.Failures, summary.Requests, (long)(summary.FinishedAt - summary.StartedAt).TotalMilliseconds);
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
}
