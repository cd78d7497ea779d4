using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `reclassify` until it lands.</summary>
public static class ReclassifyCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("reclassify", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: reclassify is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
