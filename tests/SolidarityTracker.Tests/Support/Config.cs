using System.Text.Json;

namespace SolidarityTracker.Tests.Support;

/// <summary>Writes a configuration file for a test: a database in the test folder, the given agencies and overrides.</summary>
public static class Config
{
    public static string Write(TestDirectory dir, object? agencies = null, object? sources = null, object? polling = null, object? digest = null, string name = "test.config.json", object? alerts = null)
    {
        var config = new Dictionary<string, object?>
        {
            ["Tracker"] = new { Database = dir.File("tracker.db"), Agencies = agencies ?? Array.Empty<object>() },
            ["Digest"] = digest ?? new { TimeZone = "America/New_York", OutputDirectory = dir.File("digests") },
            ["Serilog"] = new { MinimumLevel = new { Default = "Warning" } },
        };
        if (sources is not null) config["Sources"] = sources;
        if (polling is not null) config["Polling"] = polling;
        if (alerts is not null) config["Alerts"] = alerts;
        return dir.Write(name, JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
    }
}
