using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Worker;

public sealed class ShutdownTests
{
    [Fact]
    public async Task SIGTERM_stops_the_worker_within_a_few_seconds_with_exit_code_0()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir, polling: new { Cron = "*/2 * * * * ?" });
        using var child = ChildProgram.Start("run", "--config", config);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !File.Exists(dir.File("tracker.db"))) await Task.Delay(100);
        await Task.Delay(1500);
        Assert.False(child.HasExited, child.Output);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        child.Terminate();
        var code = await child.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(code == 0, child.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_worker_refuses_a_bad_configuration_with_exit_code_2_before_starting()
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir, polling: new { Cron = "whenever" });
        using var child = ChildProgram.Start("run", "--config", config);

        var code = await child.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("Polling:Cron", child.Output);
    }

    [Fact]
    public async Task The_worker_refuses_a_database_file_that_is_not_SQLite_and_leaves_it_as_it_was()
    {
        using var dir = new TestDirectory();
        var notes = dir.Write("notes.db", "not a database");
        var config = Config.Write(dir);
        using var child = ChildProgram.Start("run", "--config", config, $"--Tracker:Database={notes}");

        var code = await child.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Contains("not a SQLite database", child.Output);
        Assert.Equal("not a database", File.ReadAllText(notes));
    }
}
