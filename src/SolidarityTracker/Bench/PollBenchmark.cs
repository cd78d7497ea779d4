using SolidarityTracker.Cli;

namespace SolidarityTracker.Bench;

/// <summary>Placeholder until the benchmark lands.</summary>
public static class PollBenchmark
{
    public static async Task<int> RunAsync(CliApp app, CancellationToken cancellationToken)
    {
        await app.Error.WriteLineAsync("error: this benchmark is not available in this build yet");
        return TrackerCli.RuntimeFailure;
    }
}
