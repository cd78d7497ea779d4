using SolidarityTracker.Cli;

namespace SolidarityTracker.Tests.Support;

/// <summary>Runs the real command line in this process, capturing what it prints and its exit code.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await TrackerCli.RunAsync(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
