using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Digests;

/// <summary>A digest run is recorded by DigestService.RunAsync itself, so `digest`, `run --once` and the worker's job record it alike.</summary>
public sealed class DigestRunRecordTests
{
    private static readonly DateOnly Day = new(2026, 5, 13);

    [Fact]
    public async Task A_digest_rendered_from_the_command_line_is_recorded_as_the_worker_records_it()
    {
        using var world = new DigestWorld();
        await world.AddAsync((world.Post("hamden-pd", Utc("2026-05-13T15:00:00Z"), "Thoughts and prayers"), [Labels.Condolence]));
        var runs = new RunLog(world.Database);
        Assert.False(runs.DigestRendered(Day));

        var result = await CliRunner.RunAsync("digest", "--date", "2026-05-13", "--config", world.ConfigFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(runs.DigestRendered(Day));
        Assert.False(runs.DigestRendered(Day.AddDays(1)));
        // Without mail, a rendered day owes no catch-up run.
        Assert.True(world.Service().IsDone(Day));
    }

    [Fact]
    public async Task With_mail_enabled_a_day_rendered_without_sending_still_owes_its_catch_up_run()
    {
        using var world = new DigestWorld(email: new { Enabled = true, Host = "127.0.0.1", Port = 2525, From = "digest@example.org", To = new[] { "pr@example.org" } });

        await world.Service().RunAsync(new(Day, ["txt"]));

        Assert.True(new RunLog(world.Database).DigestRendered(Day));
        Assert.False(world.Service().IsDone(Day));
    }
}
