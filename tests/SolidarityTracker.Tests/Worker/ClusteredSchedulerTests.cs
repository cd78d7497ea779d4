using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using Quartz.Impl;
using SolidarityTracker.Cli;
using SolidarityTracker.Storage.Postgres;
using SolidarityTracker.Tests.Support;
using SolidarityTracker.Worker;

namespace SolidarityTracker.Tests.Worker;

/// <summary>Quartz's clustered ADO.NET job store on the throwaway PostgreSQL: two schedulers, as two nodes would run them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusteredSchedulerTests(PostgresFixture postgres)
{
    /// <summary>Which node ran the job, per test run.</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentBag<string>> Runs = new();

    public sealed class RecordingJob : IJob
    {
        public Task Execute(IJobExecutionContext context)
        {
            Runs.GetOrAdd(context.MergedJobDataMap.GetString("run")!, _ => []).Add(context.Scheduler.SchedulerInstanceId);
            return Task.CompletedTask;
        }
    }

    /// <summary>A node: its own container and scheduler over the shared tables, configured as `run` configures it.</summary>
    private static async Task<(ServiceProvider Services, IScheduler Scheduler)> NodeAsync(string database)
    {
        using var app = new CliApp(null, ["--Tracker:Provider=postgres", $"--Tracker:ConnectionString={database}"], TextWriter.Null, TextWriter.Null);
        // Quartz's DI makes the container's logger factory its process-wide log provider: one that disposing this
        // container does not dispose, or the workers other tests run at the same time would log into a disposed one.
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddQuartz(quartz => QuartzStore.Configure(quartz, app.Settings));
        var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        // Quartz keeps one scheduler per name in the process; two nodes in one test process must not share it.
        SchedulerRepository.Instance.Remove(scheduler.SchedulerName);
        return (provider, scheduler);
    }

    [Fact]
    public async Task With_postgres_two_nodes_share_one_clustered_job_store_and_each_trigger_fires_on_one_node_only()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await new PostgresDatabase(database).MigrateAsync();
        var run = Guid.NewGuid().ToString("N");
        var (servicesA, a) = await NodeAsync(database);
        var (servicesB, b) = await NodeAsync(database);
        try
        {
            Assert.True((await a.GetMetaData()).JobStoreClustered);
            Assert.NotEqual(a.SchedulerInstanceId, b.SchedulerInstanceId);
            Assert.Equal(QuartzStore.SchedulerName, b.SchedulerName);

            // Twenty one-shot triggers, scheduled through one node: the cluster runs each exactly once.
            var job = JobBuilder.Create<RecordingJob>().WithIdentity("record", run).UsingJobData("run", run).StoreDurably().Build();
            await a.AddJob(job, replace: false);
            for (var i = 0; i < 20; i++)
                await a.ScheduleJob(TriggerBuilder.Create().WithIdentity($"t{i}", run).ForJob(job).StartNow().Build());
            // The other node sees what the first stored: the store is shared, not per process.
            Assert.True(await b.CheckExists(job.Key));

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((Runs.TryGetValue(run, out var done) ? done.Count : 0) < 20 && DateTime.UtcNow < deadline) await Task.Delay(100);
            await Task.Delay(1000); // a trigger fired twice would show here
            Assert.Equal(20, Runs[run].Count);
        }
        finally
        {
            await a.Shutdown(waitForJobsToComplete: true);
            await b.Shutdown(waitForJobsToComplete: true);
            await servicesA.DisposeAsync();
            await servicesB.DisposeAsync();
            // Quartz keeps the logger factory it first met in a static; these containers' factories are disposed now, so
            // let the next scheduler in this process (the worker tests') bring its own.
            Quartz.Logging.LogProvider.SetCurrentLogProvider(null);
        }
    }
}
