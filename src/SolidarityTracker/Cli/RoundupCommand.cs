using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `roundup` until it lands.</summary>
public static class RoundupCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("roundup", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: roundup is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
