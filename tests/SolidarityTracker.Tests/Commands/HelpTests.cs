using SolidarityTracker.Cli;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Commands;

public sealed class HelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("export", "--help")]
    [InlineData("import", "--help")]
    public async Task Help_wraps_every_description_and_says_how_to_set_configuration_on_the_command_line(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= TrackerCli.HelpWidth, $"{line.TrimEnd().Length} characters: {line}"));
        var text = string.Join(' ', lines.Select(l => l.Trim()));
        Assert.Contains("--Section:Key=value", text);
        Assert.Contains("--config FILE", text);
    }

    [Fact]
    public async Task The_root_help_lists_every_command_with_its_description_wrapped_under_it()
    {
        var result = await CliRunner.RunAsync("--help");

        var lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        var import = Array.FindIndex(lines, l => l.StartsWith("  import <FILE>"));
        Assert.True(import > 0, result.Output);
        // The description goes on under the command, aligned with its first line.
        var column = lines[import].IndexOf("Backfill", StringComparison.Ordinal);
        Assert.True(lines[import + 1].Length > column && lines[import + 1][..column].Trim().Length == 0, lines[import + 1]);
    }
}
