using Microsoft.Extensions.Hosting;
using SolidarityTracker.Sources.Bluesky;

namespace SolidarityTracker.Worker;

/// <summary>The worker's Bluesky stream (Sources:Bluesky:Jetstream), beside the poll ticks; it ends with the host.</summary>
public sealed class JetstreamService(JetstreamStream stream) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => stream.RunAsync(stoppingToken);
}
