using System.Text.RegularExpressions;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Digests;

/// <summary>Every time a digest shows says what it is: the day's offset from UTC beside the zone, and the generation time with its offset.</summary>
public sealed class DigestTimesTests
{
    [Theory]
    [InlineData("2026-05-13", "UTC-04:00")]
    [InlineData("2026-11-01", "UTC-04:00, then UTC-05:00")]
    public async Task The_digest_says_the_offset_of_its_local_times_in_every_format(string date, string offset)
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync("digest", "--config", config, "--date", date);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var format in new[] { "html", "md", "txt" })
        {
            var text = File.ReadAllText(dir.File($"digests/digest-{date}.{format}"));
            Assert.Contains($"ocal day in America/New_York, times {offset}", text);
            Assert.Matches(new Regex(@"Generated \d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d \(America/New_York\)"), text);
        }
    }
}
