namespace SolidarityTracker.Configuration;

// This and the other *Options classes of this folder are bound from configuration at start-up and validated by
// SettingsLoader; property names are the keys of PRODUCT.md.

public sealed class TrackerOptions
{
    /// <summary>sqlite (the file <see cref="Database"/>, the default) or postgres (<see cref="ConnectionString"/>).</summary>
    public string Provider { get; set; } = Storage.StoreProviders.Sqlite;
    /// <summary>The Npgsql connection string with postgres; its password is better left to PGPASSWORD or ~/.pgpass.</summary>
    public string? ConnectionString { get; set; }
    public string Database { get; set; } = "solidarity.db";
    public List<AgencyOptions> Agencies { get; set; } = [];
}
