using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Polling;

/// <summary>`bench poll` at a small scale: the simulated day runs and prints its figures side by side; no timing is asserted.</summary>
public sealed class ScheduleBenchmarkTests
{
    [Fact]
    public async Task Bench_poll_simulates_a_day_for_each_size_side_by_side_and_reads_no_X_post_twice()
    {
        var result = await CliRunner.RunAsync("bench", "poll", "--accounts", "200,400");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.Single(l => l.StartsWith("accounts ", StringComparison.Ordinal));
        Assert.Matches(@"^accounts\s+200\s+400\s+target$", header);
        Assert.Matches(@"^X posts read twice\s+0\s+0\s+0$", lines.Single(l => l.StartsWith("X posts read twice", StringComparison.Ordinal)));
        Assert.Matches(@"^polls that failed\s+0\s+0\s+0$", lines.Single(l => l.StartsWith("polls that failed", StringComparison.Ordinal)));
        foreach (var row in new[] { "requests per hour, adaptive: quiet hours", "  fixed / adaptive at quiet hours", "wait at quiet hours: p95 / longest",
                     "wait during the wave: p95 / longest", "scheduler overhead per tick (Plan, in memory): mean / max", "peak working set" })
            Assert.Contains(lines, l => l.StartsWith(row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_poll_refuses_a_number_of_accounts_that_is_not_one()
    {
        var result = await CliRunner.RunAsync("bench", "poll", "--accounts", "10000,lots");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--accounts 10000,lots: 'lots' is not a number of accounts", result.Error);
    }
}
