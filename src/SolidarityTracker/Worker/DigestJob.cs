using Microsoft.Extensions.Logging;
using Quartz;
using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;
using SolidarityTracker.Model;

namespace SolidarityTracker.Worker;

/// <summary>The Quartz adapter for the morning digest: renders the previous local day and, when configured, mails it.</summary>
[DisallowConcurrentExecution]
public sealed class DigestJob(DigestService digests, TrackerSettings settings, TimeProvider time, ILogger<DigestJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var date = LocalDay.Of(time.GetUtcNow(), settings.TimeZone).AddDays(-1);
        try
        {
            var outcome = await digests.RunAsync(new DigestRequest(date, Send: settings.Digest.Email.Enabled), context.CancellationToken);
            logger.LogInformation("Digest for {Date}: {Posts} posts, files {Files}, sent {Sent}", date, outcome.Posts, outcome.Files, outcome.Sent);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Digest for {Date} stopped for shutdown", date);
        }
        catch (Exception ex)
        {
            logger.LogError("Digest for {Date} failed: {Error}", date, ex.Message);
        }
    }
}
