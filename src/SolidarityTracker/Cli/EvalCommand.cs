using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `eval` until it lands.</summary>
public static class EvalCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("eval", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: eval is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
