using Microsoft.Extensions.Hosting;
using Quartz;

namespace SolidarityTracker.Worker;

/// <summary>The Quartz adapter for the morning digest: renders the previous local day and, when configured, mails it.</summary>
[DisallowConcurrentExecution]
public sealed class DigestJob(DigestService digests, TrackerSettings settings, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DigestJob> logger) : IJob
{
    /// <summary>Job data key of a catch-up run: the local date (yyyy-MM-dd) to render instead of yesterday.</summary>
    public const string DateKey = "date";

    public async Task Execute(IJobExecutionContext context)
    {
        var date = context.MergedJobDataMap.TryGetString(DateKey, out var given) && given is not null
            ? DateOnly.ParseExact(given, "yyyy-MM-dd")
            : DigestCatchUp.DigestDayFor(time.GetUtcNow(), settings.TimeZone);
        var day = date.ToString("yyyy-MM-dd");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var outcome = await digests.RunAsync(new DigestRequest(date, Send: settings.Digest.Email.Enabled), stopping.Token);
            logger.LogInformation("Digest for {Date}: {Posts} posts, files {Files}, sent {Sent}", day, outcome.Posts, outcome.Files, outcome.Sent);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogInformation("Digest for {Date} stopped for shutdown", day);
        }
        catch (Exception ex)
        {
            // A broken template or a down SMTP server is logged; polling and tomorrow's digest go on.
            logger.LogError("Digest for {Date} failed: {Error}", day, ex.Message);
        }
    }
}
