using System.CommandLine;

namespace SolidarityTracker.Cli;

/// <summary>Placeholder for `classify` until it lands.</summary>
public static class ClassifyCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("classify", "Not available in this build yet.");
        command.SetAction(async (parse, ct) =>
        {
            await app.Error.WriteLineAsync("error: classify is not available in this build yet");
            return TrackerCli.RuntimeFailure;
        });
        return command;
    }
}
