using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `timeline` until it lands.</summary>
public static class TimelineCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("timeline", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: timeline is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
