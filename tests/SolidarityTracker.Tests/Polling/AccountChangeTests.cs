using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SolidarityTracker.Polling;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Polling;

/// <summary>
/// Accounts that change on the platform: suspended, deleted, deactivated or renamed, against the loopback X, Mastodon
/// and Bluesky servers speaking each platform's own error JSON, through the worker's tick and the real `status`.
/// </summary>
public sealed class AccountChangeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 13, 12, 0, 0, TimeSpan.Zero);
    private XApiServer _x = null!;
    private MastodonServer _mastodon = null!;
    private BlueskyServer _bluesky = null!;

    public async Task InitializeAsync()
    {
        _x = await XApiServer.StartAsync();
        _mastodon = await MastodonServer.StartAsync();
        _bluesky = await BlueskyServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _x.DisposeAsync();
        await _mastodon.DisposeAsync();
        await _bluesky.DisposeAsync();
    }

    private AlertWorld World(params object[] accounts) => new(
        new[] { new { Id = "dallas", Name = "Dallas Police", State = "TX", Accounts = accounts } },
        new { }, T0,
        sources: new
        {
            X = new { BaseUrl = _x.BaseUrl, BearerToken = XApiServer.Token },
            Mastodon = new { BaseUrl = _mastodon.BaseUrl },
            Bluesky = new { BaseUrl = _bluesky.BaseUrl },
        },
        polling: new { BackfillDays = 3650, MaxConcurrency = 1, RequestTimeout = "00:00:05" });

    private static async Task Tick(AlertWorld world) => await world.Cycle.RunScheduledAsync(world.Get<PollScheduler>());

    private static async Task<JsonElement[]> StatusAccounts(AlertWorld world)
    {
        var result = await CliRunner.RunAsync("status", "--config", world.ConfigPath, "--format", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("accounts").EnumerateArray().ToArray();
    }

    [Fact]
    public async Task A_suspended_X_account_is_shown_as_suspended_and_asked_again_only_about_once_a_day()
    {
        var user = _x.AddFromTestData("dallaspd");
        using var world = World(new { Platform = "x", Handle = "DallasPD" });
        await Tick(world);
        Assert.True(world.Scalar("SELECT COUNT(*) FROM posts") > 0);

        user.Fault = XFault.Suspended;
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Tick(world);
        var asked = _x.Timeline(user).Count;
        // Every ten minutes for a day less a few minutes: the tick leaves it alone.
        for (var minutes = 10; minutes < 24 * 60 - 10; minutes += 10)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(10));
            await Tick(world);
        }
        Assert.Equal(asked, _x.Timeline(user).Count);
        world.Clock.Advance(TimeSpan.FromMinutes(20));
        await Tick(world);
        Assert.Equal(asked + 1, _x.Timeline(user).Count);

        var account = Assert.Single(await StatusAccounts(world));
        Assert.Equal("suspended", account.GetProperty("state").GetString());
        Assert.Equal("not_found", account.GetProperty("last_error_kind").GetString());
        Assert.Contains("User has been suspended", account.GetProperty("last_error").GetString());
        var text = await CliRunner.RunAsync("status", "--config", world.ConfigPath);
        Assert.Contains("suspended", text.Output);
        Assert.Contains("asked again about once a day", text.Output);

        // Reinstated: the next daily check succeeds and the account is ok again.
        user.Fault = XFault.None;
        world.Clock.Advance(TimeSpan.FromDays(1));
        await Tick(world);
        Assert.Equal("ok", Assert.Single(await StatusAccounts(world)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_X_account_deleted_after_it_was_followed_is_reported_deleted()
    {
        var user = _x.AddFromTestData("dallaspd");
        using var world = World(new { Platform = "x", Handle = "DallasPD" });
        await Tick(world);
        // X no longer knows the id: HTTP 200 with a resource-not-found error on parameter "id".
        using (var connection = world.Get<TrackerDatabase>().Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE accounts SET external_id = '999000999'";
            command.ExecuteNonQuery();
        }
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Tick(world);

        var account = Assert.Single(await StatusAccounts(world));
        Assert.Equal("deleted", account.GetProperty("state").GetString());
        Assert.Contains("Could not find user with id", account.GetProperty("last_error").GetString());
        var next = DateTimeOffset.Parse(account.GetProperty("next_check_at").GetString()!);
        Assert.True(next >= world.Clock.GetUtcNow().AddHours(23), $"next check {next:u}");
    }

    [Fact]
    public async Task A_renamed_X_account_keeps_its_posts_and_status_shows_its_new_handle()
    {
        var user = _x.AddFromTestData("dallaspd");
        using var world = World(new { Platform = "x", Handle = "DallasPD" });
        await Tick(world);
        var before = world.Scalar("SELECT COUNT(*) FROM posts");

        _x.Rename(user, "DallasPolice");
        _x.Post(user, XApiServer.Tweet("1995000000000000999", "Our condolences to the families of the fallen officers.", T0.AddMinutes(30), user.Id));
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Tick(world);

        Assert.Equal(before + 1, world.Scalar("SELECT COUNT(*) FROM posts"));
        Assert.Equal(1, world.Scalar("SELECT COUNT(DISTINCT account_id) FROM posts"));
        Assert.Equal(1, world.Scalar("SELECT COUNT(*) FROM posts WHERE url = 'https://x.com/DallasPolice/status/1995000000000000999'"));
        Assert.Equal(1, _x.Count(XApiServer.LookupEndpoint)); // followed by its id, never looked up again
        var account = Assert.Single(await StatusAccounts(world));
        Assert.Equal("dallaspd", account.GetProperty("account").GetString());
        Assert.Equal("DallasPolice", account.GetProperty("current_handle").GetString());
        Assert.Contains("dallaspd (now DallasPolice)", (await CliRunner.RunAsync("status", "--config", world.ConfigPath)).Output);

        // The configuration follows the rename: the same account row (posts, id, cursor) takes the new handle.
        var renamed = Config.Write(world.Directory, new[] { new { Id = "dallas", Name = "Dallas Police", State = "TX", Accounts = new[] { new { Platform = "x", Handle = "DallasPolice" } } } },
            sources: new { X = new { BaseUrl = _x.BaseUrl, BearerToken = XApiServer.Token } }, name: "renamed.config.json");
        var status = await CliRunner.RunAsync("status", "--config", renamed, "--format", "json");
        var after = Assert.Single(JsonDocument.Parse(status.Output).RootElement.GetProperty("accounts").EnumerateArray());
        Assert.Equal("dallaspolice", after.GetProperty("account").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("current_handle").ValueKind);
        Assert.Equal(before + 1, after.GetProperty("posts").GetInt64());
        Assert.Equal(1, world.Scalar("SELECT COUNT(*) FROM accounts"));
    }

    [Fact]
    public async Task A_Mastodon_account_suspended_or_deleted_is_reported_as_such_and_left_for_a_day()
    {
        _mastodon.AddAccount("dallaspd");
        _mastodon.Post("dallaspd", "<p>Stay safe tonight.</p>", T0.AddHours(-2));
        _mastodon.AddAccount("gonepd");
        _mastodon.Post("gonepd", "<p>Road closures downtown.</p>", T0.AddHours(-3));
        using var world = World(new { Platform = "mastodon", Handle = "dallaspd@police.example" }, new { Platform = "mastodon", Handle = "gonepd@police.example" });
        await Tick(world);
        Assert.Equal(2, world.Scalar("SELECT COUNT(*) FROM posts"));

        _mastodon.Suspend("dallaspd");
        // Deleted since: the instance answers its id with 404 Record not found.
        _mastodon.Fault("gonepd", async context =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(MastodonServer.TestData("not-found.json"));
            return true;
        });
        // The suspension shows when the profile is due (Polling:ProfileInterval, an hour): the account itself says so.
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Tick(world);

        var states = (await StatusAccounts(world)).ToDictionary(a => a.GetProperty("account").GetString()!, a => a.GetProperty("state").GetString());
        Assert.Equal("suspended", states["dallaspd@police.example"]);
        Assert.Equal("deleted", states["gonepd@police.example"]);
        var requests = _mastodon.Requests.Count;
        for (var hour = 1; hour < 23; hour++)
        {
            world.Clock.Advance(TimeSpan.FromHours(1));
            await Tick(world);
        }
        Assert.Equal(requests, _mastodon.Requests.Count);
    }

    [Fact]
    public async Task A_Bluesky_account_taken_down_or_deactivated_is_reported_as_such()
    {
        _bluesky.AddActor("dallaspd.bsky.social");
        _bluesky.Post("dallaspd.bsky.social", "Stay safe tonight.", T0.AddHours(-2));
        _bluesky.AddActor("quietpd.bsky.social");
        using var world = World(new { Platform = "bluesky", Handle = "dallaspd.bsky.social" }, new { Platform = "bluesky", Handle = "quietpd.bsky.social" });
        await Tick(world);

        // The AppView's XRPC errors for an account it has taken down or that its owner deactivated.
        static Func<HttpContext, Task<bool>> Error(string error, string message) => async context =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { error, message }));
            return true;
        };
        _bluesky.Fault("dallaspd.bsky.social", Error("AccountTakedown", "Account has been suspended"));
        _bluesky.Fault("quietpd.bsky.social", Error("AccountDeactivated", "Account is deactivated"));
        world.Clock.Advance(TimeSpan.FromHours(1));
        await Tick(world);

        var accounts = (await StatusAccounts(world)).ToDictionary(a => a.GetProperty("account").GetString()!);
        Assert.Equal("suspended", accounts["dallaspd.bsky.social"].GetProperty("state").GetString());
        Assert.Contains("AccountTakedown", accounts["dallaspd.bsky.social"].GetProperty("last_error").GetString());
        Assert.Equal("deactivated", accounts["quietpd.bsky.social"].GetProperty("state").GetString());
        Assert.Equal(1, world.Scalar("SELECT COUNT(*) FROM posts"));
    }
}
