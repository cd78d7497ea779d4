using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `import` until it lands.</summary>
public static class ImportCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("import", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: import is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
