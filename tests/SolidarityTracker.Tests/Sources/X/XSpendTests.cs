using System.Text.Json;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Sources.X;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Sources.X;

/// <summary>What X costs: the month's post budget, the usage cap, and what `status` says of them; through the real command line.</summary>
public sealed class XSpendTests : IAsyncLifetime, IDisposable
{
    private readonly TestDirectory _dir = new();
    private XApiServer _x = null!;

    public async Task InitializeAsync() => _x = await XApiServer.StartAsync();
    public async Task DisposeAsync() => await _x.DisposeAsync();
    public void Dispose() => _dir.Dispose();

    private string Configure(long? monthlyPostReads = null) =>
        Config.Write(_dir, new object[] { new { Id = "dallas", Name = "Dallas police", State = "TX", Accounts = new[] { new { Platform = "x", Handle = "DallasPD" }, new { Platform = "x", Handle = "other" } } } },
            sources: new { X = new { BaseUrl = _x.BaseUrl, MonthlyPostReads = monthlyPostReads } },
            polling: new { BackfillDays = 3650, MaxConcurrency = 1, RequestTimeout = "00:00:05" });

    private static Task<CliResult> Run(string config, params string[] command) =>
        CliRunner.RunAsync([.. command, "--config", config, $"--Sources:X:BearerToken={XApiServer.Token}"]);

    [Fact]
    public async Task A_usage_cap_429_stops_every_X_request_until_the_period_ends_and_status_names_the_cap()
    {
        var capped = _x.AddFromTestData("dallaspd");
        capped.Fault = XFault.UsageCap;
        var other = _x.Add("77", "other");
        var config = Configure();

        var poll = await Run(config, "poll");
        var again = await Run(config, "poll");
        var text = await Run(config, "status");
        var json = await Run(config, "status", "--format", "json");

        Assert.Equal(1, poll.ExitCode);
        Assert.Contains("usage cap reached (Usage cap exceeded: Monthly product cap)", poll.Output);
        Assert.Empty(_x.Timeline(other)); // the second account never asked X once the cap was known
        Assert.Single(_x.Timeline(capped)); // nor did the next poll
        Assert.Contains("X usage cap reached: Usage cap exceeded: Monthly product cap", text.Output);
        var now = DateTime.UtcNow;
        var monthEnd = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        using var document = JsonDocument.Parse(json.Output);
        var cap = document.RootElement.GetProperty("x").GetProperty("usage_cap");
        Assert.Equal(monthEnd, cap.GetProperty("until").GetDateTimeOffset());
        Assert.Equal("rate_limited", document.RootElement.GetProperty("accounts")[0].GetProperty("last_error_kind").GetString());
        Assert.Equal(monthEnd, document.RootElement.GetProperty("accounts")[0].GetProperty("next_check_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_rate_limit_429_is_not_taken_for_the_usage_cap()
    {
        var user = _x.AddFromTestData("dallaspd");
        user.Fault = XFault.TooManyRequests;
        _x.TooManyRequestsReset = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds();
        var config = Configure();

        await Run(config, "poll");
        var json = await Run(config, "status", "--format", "json");

        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("x").GetProperty("usage_cap").ValueKind);
    }

    [Fact]
    public async Task Requests_ask_for_no_more_posts_than_the_month_has_left_and_status_shows_the_spend_and_projection()
    {
        const long budget = 3100;
        var user = _x.AddFromTestData("dallaspd"); // five posts
        var other = _x.Add("77", "other");
        var config = Configure(budget);
        Assert.Equal(0, (await Run(config, "status")).ExitCode); // creates the store
        // Earlier this month the tracker read all but seven posts of what the spread budget allows by now.
        var settings = new TrackerSettings(new TrackerOptions(), new SourcesOptions { X = new XOptions { MonthlyPostReads = budget } }, new PollingOptions(), new DigestOptions(), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var runs = new RunLog(new TrackerDatabase(_dir.File("tracker.db")));
        var allowed = new XReadBudget(runs, settings, TimeProvider.System).Allowed(DateTimeOffset.UtcNow);
        var today = LocalDay.Of(DateTimeOffset.UtcNow, settings.TimeZone);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        await runs.RecordUsageAsync(monthStart, [new PlatformUsage("x", 40, allowed - 7)]);

        var poll = await Run(config, "poll");
        var json = await Run(config, "status", "--format", "json");
        var text = await Run(config, "status");

        Assert.Contains("max_results=7&", _x.Timeline(user).Single().PathAndQuery);
        Assert.Empty(_x.Timeline(other)); // two posts left: less than X's smallest page
        Assert.Contains("Sources:X:MonthlyPostReads", poll.Output);
        using var document = JsonDocument.Parse(json.Output);
        var x = document.RootElement.GetProperty("x");
        Assert.Equal(budget, x.GetProperty("monthly_post_reads").GetInt64());
        Assert.Equal(allowed - 2, x.GetProperty("posts_read_this_month").GetInt64());
        Assert.True(x.GetProperty("projection").GetInt64() >= allowed);
        var platform = document.RootElement.GetProperty("platforms").EnumerateArray().Single(p => p.GetProperty("platform").GetString() == "x");
        Assert.Equal(5, platform.GetProperty("posts_read_today").GetInt64() - (monthStart == today ? allowed - 7 : 0));
        Assert.Contains($"X posts read this month: {allowed - 2:N0}; budget {budget:N0} (Sources:X:MonthlyPostReads)", text.Output);
    }
}
