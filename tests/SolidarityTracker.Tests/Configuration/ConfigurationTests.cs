using Microsoft.Extensions.Configuration;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Configuration;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task An_unknown_time_zone_stops_with_the_key_and_the_file_and_exit_code_2()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir, digest: new { TimeZone = "Mars/Olympus_Mons" });

        var result = await CliRunner.RunAsync("status", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Digest:TimeZone", result.Error);
        Assert.Contains("test.config.json", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("""{ "Polling": { "Cron": "every five minutes" } }""", "Polling:Cron")]
    [InlineData("""{ "Digest": { "Cron": "0 0 25 * * ?" } }""", "Digest:Cron")]
    [InlineData("""{ "Tracker": { "Agencies": [ { "Id": "a", "Name": "A", "Accounts": [ { "Platform": "myspace", "Handle": "a" } ] } ] } }""", "Tracker:Agencies:0:Accounts:0:Platform")]
    [InlineData("""{ "Tracker": { "Agencies": [ { "Id": "a", "Name": "A" }, { "Id": "a", "Name": "B" } ] } }""", "Tracker:Agencies:1:Id")]
    [InlineData("""{ "Tracker": { "Agencies": [ { "Id": "a", "Name": "A", "Accounts": [ { "Platform": "x" } ] } ] } }""", "Tracker:Agencies:0:Accounts:0:Handle")]
    [InlineData("""{ "Digest": { "Templates": "/no/such/folder" } }""", "Digest:Templates")]
    [InlineData("""{ "Polling": { "MaxConcurrency": "lots" } }""", "Polling:MaxConcurrency")]
    [InlineData("""{ "Tracker": { "Agencies": [ { "Id": "a", "Name": "A", "Accounts": [ { "Platform": "x", "Handle": "a", "Enabled": "maybe" } ] } ] } }""", "Tracker:Agencies:0:Accounts:0:Enabled")]
    public async Task A_bad_key_value_exits_2_naming_the_key_and_the_file(string json, string key)
    {
        using var dir = new TestDirectory();
        var config = dir.Write("bad.json", json);

        var result = await CliRunner.RunAsync("status", "--config", config, $"--Tracker:Database={dir.File("t.db")}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(key, result.Error);
        Assert.Contains("bad.json", result.Error);
    }

    [Fact]
    public async Task A_configuration_file_with_invalid_json_names_the_file_and_line()
    {
        using var dir = new TestDirectory();
        var config = dir.Write("broken.json", "{\n  \"Tracker\": {\n    \"Database\": \"x.db\",,\n  }\n}");

        var result = await CliRunner.RunAsync("status", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("broken.json", result.Error);
        Assert.Contains(":3", result.Error);
    }

    [Fact]
    public async Task A_list_in_a_later_source_replaces_the_earlier_list_whole()
    {
        using var dir = new TestDirectory();
        var first = Config.Write(dir, agencies: new[]
        {
            new { Id = "one", Name = "One", Accounts = new[] { new { Platform = "rss", Url = "http://127.0.0.1:1/one.xml" } } },
            new { Id = "two", Name = "Two", Accounts = new[] { new { Platform = "rss", Url = "http://127.0.0.1:1/two.xml" } } },
        });
        var root = SolidarityTracker.Configuration.ConfigurationLoader.Build(first, ["--Tracker:Agencies:0:Id=three", "--Tracker:Agencies:0:Name=Three"], dir.Path);

        var settings = SolidarityTracker.Configuration.SettingsLoader.Load(root, SolidarityTracker.Worker.CronSchedule.IsValid);

        var agency = Assert.Single(settings.Tracker.Agencies);
        Assert.Equal("three", agency.Id);
    }

    [Fact]
    public async Task A_command_line_switch_overrides_the_configuration_file()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync("status", "--config", config, "--Digest:TimeZone=Nowhere/Land");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("argument --Digest:TimeZone", result.Error);
    }

    [Fact]
    public void A_sink_list_in_a_config_file_replaces_the_shipped_sinks_instead_of_merging_by_index()
    {
        using var dir = new TestDirectory();
        dir.Write("appsettings.json", """{ "Serilog": { "WriteTo": [ { "Name": "Console", "Args": { "outputTemplate": "{Message}" } }, { "Name": "Debug" } ] } }""");
        var config = dir.Write("mine.json", """{ "Serilog": { "WriteTo": [ { "Name": "File", "Args": { "path": "x.log" } } ] } }""");

        var effective = SolidarityTracker.Configuration.ConfigurationLoader.Effective(
            SolidarityTracker.Configuration.ConfigurationLoader.Build(config, [], dir.Path));

        var sinks = effective.GetSection("Serilog:WriteTo").GetChildren().ToList();
        var sink = Assert.Single(sinks);
        Assert.Equal("File", sink["Name"]);
        Assert.Null(sink["Args:outputTemplate"]);
    }
}
