using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `export` until it lands.</summary>
public static class ExportCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("export", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: export is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
