using Quartz;

namespace SolidarityTracker.Worker;

/// <summary>
/// Where Quartz keeps its jobs and triggers. With SQLite (one node) in memory, as the jobs are declared again at every
/// start. With Tracker:Provider postgres in the same database, with Quartz's ADO.NET job store (PostgreSQLDelegate,
/// the qrtz_* tables the migrations create) clustered: every node's scheduler shares the triggers, a trigger fires on
/// one node only, and a node that stops checking in has its jobs recovered by another. Instance ids are AUTO.
/// </summary>
public static class QuartzStore
{
    public const string SchedulerName = "SolidarityTracker";
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(10);

    public static void Configure(IServiceCollectionQuartzConfigurator quartz, TrackerSettings settings)
    {
        if (settings.Tracker.Provider != StoreProviders.Postgres)
        {
            // Quartz's own name for it: a fixed one would make several workers in one process (the tests) share one scheduler.
            quartz.UseInMemoryStore();
            return;
        }
        // The cluster's nodes find each other's rows by this name.
        quartz.SchedulerName = SchedulerName;
        quartz.SchedulerId = "AUTO";
        quartz.UsePersistentStore(store =>
        {
            store.UseProperties = true; // job data as strings: nothing but text in the shared tables
            store.PerformSchemaValidation = true;
            store.UsePostgres(postgres => postgres.ConnectionString = settings.Tracker.ConnectionString!);
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = CheckinInterval;
                cluster.CheckinMisfireThreshold = CheckinInterval * 2;
            });
            store.UseSystemTextJsonSerializer();
        });
    }
}
