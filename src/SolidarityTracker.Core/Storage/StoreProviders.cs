namespace SolidarityTracker.Storage;

/// <summary>The values of Tracker:Provider.</summary>
public static class StoreProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public static readonly IReadOnlyList<string> All = [Sqlite, Postgres];
}
