using Microsoft.Extensions.Hosting;
using SolidarityTracker.Alerts;

namespace SolidarityTracker.Worker;

/// <summary>
/// `run`'s continuous dispatch: the outbox is sent whenever a poll writes alerts, and every few seconds for retries
/// that came due (<see cref="AlertDispatcher.RunAsync"/>). The poll cycles send their own alerts before they end; this
/// is for what a channel refused then, and what a killed process left behind.
/// </summary>
public sealed class AlertDispatchService(AlertDispatcher dispatcher, ILogger<AlertDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A bug in one send must not stop the host (and its polling) the way an escaped exception would; the
                // rows stay in the outbox and the loop starts again.
                logger.LogError(ex, "Alert dispatch stopped: {Error}; starting again", ex.Message);
                try { await Task.Delay(AlertDispatcher.Idle, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
