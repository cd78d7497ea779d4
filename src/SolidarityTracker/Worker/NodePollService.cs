using System.Collections.Specialized;
using Microsoft.Extensions.Hosting;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace SolidarityTracker.Worker;

/// <summary>
/// The poll job (<see cref="PollJob.Define"/>) in a Quartz scheduler of this node's own, in memory. With Tracker:Provider
/// postgres the shared scheduler is clustered, where each trigger fires on one node only and the others would sit idle;
/// here every node polls on its own ticks and the nodes share the accounts through their leases
/// (<see cref="AccountStore.TryLeaseAsync"/>). The digest stays in the shared scheduler: it fires once across the cluster.
/// </summary>
public sealed class NodePollService(IServiceProvider services, TrackerSettings settings) : IHostedService
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var properties = new NameValueCollection
        {
            // Quartz keeps one scheduler per name in a process: this node's own, never the cluster's.
            ["quartz.scheduler.instanceName"] = $"{QuartzStore.SchedulerName}-poll-{Guid.NewGuid():N}",
            ["quartz.jobStore.type"] = "Quartz.Simpl.RAMJobStore, Quartz",
            ["quartz.threadPool.maxConcurrency"] = "1",
        };
        _scheduler = await new StdSchedulerFactory(properties).GetScheduler(cancellationToken);
        _scheduler.JobFactory = new ServiceJobFactory(services);
        var (job, triggers) = PollJob.Define(settings);
        await _scheduler.ScheduleJob(job, triggers, replace: true, cancellationToken);
        await _scheduler.Start(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is not null) await _scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }

    /// <summary>Jobs made from the host's services, as Quartz's own DI integration makes them for the clustered scheduler.</summary>
    private sealed class ServiceJobFactory(IServiceProvider services) : IJobFactory
    {
        public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) =>
            (IJob)ActivatorUtilities.CreateInstance(services, bundle.JobDetail.JobType);

        public void ReturnJob(IJob job) => (job as IDisposable)?.Dispose();
    }
}
