using System.Text.Json;
using MimeKit;
using SolidarityTracker.Alerts;
using SolidarityTracker.Configuration;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Alerts;

/// <summary>`alerts`, `alerts test`, `incidents` and what `check` says of the alert settings, through the real command line.</summary>
public sealed class AlertCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 13, 14, 0, 0, TimeSpan.Zero);

    private static string Name(string url, string format) => AlertChannels.WebhookName(new WebhookOptions { Url = url, Format = format });

    [Fact]
    public async Task Alerts_lists_each_alert_with_its_delivery_per_channel_and_the_last_error_in_txt_and_json()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var down = await WebhookReceiver.StartAsync();
        down.Failing = 500;
        var source = new ScriptedSource();
        var alerts = new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" }, new { Url = down.Url("/slack/T000/B000/secret"), Format = "slack" } } };
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"), alerts, Now, replaced: source);
        foreach (var id in new[] { "a", "b", "c" }) source.Then(TrackerWorld.Feed(id), IncidentAlertTests.Step(id, 1, Now.AddMinutes(-30)));
        await world.Cycle.RunAsync();
        var json = Name(hooks.Url("/json"), "json");
        var slack = Name(down.Url("/slack/T000/B000/secret"), "slack");

        var text = await CliRunner.RunAsync("alerts", "--config", world.ConfigPath);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("2026-05-13 10:00 -04:00  incident  Incident: Officer Daniel Reyes", text.Output);
        Assert.Matches($@"  {System.Text.RegularExpressions.Regex.Escape(json)}  sent  1 attempt, at 2026-05-13 10:00 -04:00\r?\n", text.Output);
        Assert.Matches($@"  {System.Text.RegularExpressions.Regex.Escape(slack)}  pending  1 attempt, next try 2026-05-13 10:00 -04:00; last error: .*HTTP 500", text.Output);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(json)}\s+1\s+0\s+0", text.Output);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(slack)}\s+0\s+1\s+0", text.Output);
        Assert.Contains("1 alert; times in America/New_York", text.Output);
        // A chat webhook's URL is its secret: only its host and a hash are shown.
        Assert.DoesNotContain("secret", text.Output);

        var result = await CliRunner.RunAsync("alerts", "--config", world.ConfigPath, "--format", "json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var alert = Assert.Single(document.RootElement.GetProperty("alerts").EnumerateArray().ToList());
        Assert.Equal("incident", alert.GetProperty("kind").GetString());
        Assert.Equal("2026-05-13T14:00:00Z", alert.GetProperty("created_at").GetString());
        var deliveries = alert.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!);
        Assert.Equal("sent", deliveries[json].GetProperty("status").GetString());
        Assert.Equal("pending", deliveries[slack].GetProperty("status").GetString());
        Assert.Contains("HTTP 500", deliveries[slack].GetProperty("last_error").GetString());
        Assert.Equal(JsonValueKind.Null, deliveries[json].GetProperty("last_error").ValueKind);
        Assert.Equal(2, document.RootElement.GetProperty("channels").GetArrayLength());

        var later = await CliRunner.RunAsync("alerts", "--config", world.ConfigPath, "--from", "2026-05-14");
        Assert.Contains("0 alerts", later.Output);
        var backwards = await CliRunner.RunAsync("alerts", "--config", world.ConfigPath, "--from", "2026-05-14", "--to", "2026-05-13");
        Assert.Equal(2, backwards.ExitCode);
    }

    [Fact]
    public async Task Alerts_test_sends_a_test_message_to_every_channel_and_exits_1_naming_the_one_that_failed()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var down = await WebhookReceiver.StartAsync();
        down.Failing = 500;
        using var dir = new TestDirectory();
        var config = Config.Write(dir,
            digest: new
            {
                TimeZone = "America/New_York", OutputDirectory = dir.File("digests"),
                Email = new { Host = "127.0.0.1", Port = smtp.Port, UseTls = "none", From = "tracker@agency.example" },
            },
            alerts: new
            {
                Email = new { Enabled = true, To = new[] { "pr@agency.example" } },
                Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" }, new { Url = hooks.Url("/slack"), Format = "slack" }, new { Url = down.Url("/teams"), Format = "teams" } },
            });

        var result = await CliRunner.RunAsync("alerts", "test", "--config", config);

        Assert.True(result.ExitCode == 1, result.ToString());
        var teams = Name(down.Url("/teams"), "teams");
        Assert.Contains("email: ok", result.Output);
        Assert.Contains($"{Name(hooks.Url("/json"), "json")}: ok", result.Output);
        Assert.Contains($"{Name(hooks.Url("/slack"), "slack")}: ok", result.Output);
        Assert.Contains($"{teams}: failed:", result.Output);
        Assert.Contains($"error: the test message did not reach {teams}", result.Error);
        var mail = Assert.Single(smtp.Messages);
        Assert.Contains("test alert", mail.Subject);
        Assert.Equal(["text/plain", "text/html"], Assert.IsType<MultipartAlternative>(mail.Body).OfType<TextPart>().Select(p => p.ContentType.MimeType));
        Assert.Equal("test", (string)Assert.Single(hooks.To("/json")).Json["kind"]!);
        Assert.NotNull(Assert.Single(hooks.To("/slack")).Json["blocks"]);
        // Sent straight away, not through the outbox.
        Assert.True(!File.Exists(dir.File("tracker.db")) || StoredRows.Scalar(dir.File("tracker.db"), "SELECT COUNT(*) FROM alerts") == 0);

        var none = await CliRunner.RunAsync("alerts", "test", "--config", Config.Write(dir, name: "none.json"));
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no alert channel is configured", none.Error);
    }

    [Fact]
    public async Task Incidents_lists_the_loss_with_each_agency_its_state_and_first_post_in_txt_json_and_md()
    {
        var source = new ScriptedSource();
        var agencies = new[]
        {
            new { Id = "a", Name = "Ashland Police Department", State = "OH", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("a") } } },
            new { Id = "b", Name = "Bexley Police", State = "OH", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("b") } } },
            new { Id = "c", Name = "Covington | Police", State = "KY", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("c") } } },
        };
        using var world = new AlertWorld(agencies, new { Incident = new { MinAgencies = 3 } }, Now, replaced: source);
        source.Then(TrackerWorld.Feed("a"), IncidentAlertTests.Step("a", 1, Now.AddMinutes(-50)));
        source.Then(TrackerWorld.Feed("b"), IncidentAlertTests.Step("b", 1, Now.AddMinutes(-40)), IncidentAlertTests.Step("b", 2, Now.AddMinutes(-35)));
        source.Then(TrackerWorld.Feed("c"), new PageStep(Page("c1", Post(TrackerWorld.Feed("c"), "c-1", Now.AddMinutes(-20),
            "Rest easy, Officer Daniel Reyes. Our *deepest* condolences to Millbrook <script>alert(1)</script> #MillbrookStrong"))));
        await world.Cycle.RunAsync();
        Assert.Single(world.Incidents);

        var text = await CliRunner.RunAsync("incidents", "--config", world.ConfigPath);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("incident 1: Officer Daniel Reyes (officer); also #MillbrookStrong", text.Output);
        Assert.Contains("3 agencies in 2 states, 4 posts; first post 2026-05-13 09:10 -04:00", text.Output);
        Assert.Contains("  - Bexley Police (b, OH): 2 posts, first 2026-05-13 09:20 -04:00 on rss", text.Output);
        Assert.Contains("    https://example.org/https://feeds.example/b/b-1", text.Output);
        Assert.Contains("1 incident; times in America/New_York", text.Output);

        var json = await CliRunner.RunAsync("incidents", "--config", world.ConfigPath, "--format", "json");
        using var document = JsonDocument.Parse(json.Output);
        var incident = Assert.Single(document.RootElement.GetProperty("incidents").EnumerateArray().ToList());
        Assert.Equal("Officer Daniel Reyes", incident.GetProperty("title").GetString());
        Assert.Equal(4, incident.GetProperty("posts").GetInt32());
        Assert.Equal(["KY", "OH"], incident.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
        var first = incident.GetProperty("agencies").EnumerateArray().First();
        Assert.Equal(("a", "OH", 1), (first.GetProperty("id").GetString(), first.GetProperty("state").GetString(), first.GetProperty("posts").GetInt32()));
        Assert.Equal("2026-05-13T13:10:00Z", first.GetProperty("first_post").GetProperty("created_at").GetString());

        var md = await CliRunner.RunAsync("incidents", "--config", world.ConfigPath, "--format", "md");
        Assert.Contains("## Officer Daniel Reyes", md.Output);
        Assert.Contains("| Agency | State | First post | Posts | Quote |", md.Output);
        // Post text and agency names stay text: no table cell broken by a pipe, no HTML, no emphasis.
        Assert.Contains("| Covington \\| Police | KY |", md.Output);
        Assert.Contains("\\*deepest\\*", md.Output);
        Assert.Contains("&lt;script&gt;", md.Output);
        Assert.DoesNotContain("<script>", md.Output);

        var bad = await CliRunner.RunAsync("incidents", "--config", world.ConfigPath, "--format", "csv");
        Assert.Equal(2, bad.ExitCode);
    }

    [Theory]
    [InlineData("Alerts:Webhooks:0:Url", "--Alerts:Webhooks:0:Url=ftp://hooks.example/alert")]
    [InlineData("Alerts:Webhooks:0:Format", "--Alerts:Webhooks:0:Url=https://hooks.example/alert", "--Alerts:Webhooks:0:Format=discord")]
    [InlineData("Alerts:Watches:0", "--Alerts:Watches:0:Name=everything")]
    [InlineData("Alerts:Incident:Window", "--Alerts:Incident:Window=three hours")]
    [InlineData("Alerts:Incident:UpdateEvery", "--Alerts:Incident:UpdateEvery=soon")]
    [InlineData("Alerts:Watches:0:Labels", "--Alerts:Watches:0:Name=w", "--Alerts:Watches:0:Labels:0=grief")]
    [InlineData("Alerts:Email:To", "--Alerts:Email:Enabled=true", "--Digest:Email:Host=127.0.0.1", "--Digest:Email:From=a@b.example")]
    public async Task Check_exits_2_naming_the_alert_key_that_is_wrong(string key, params string[] switches)
    {
        using var dir = new TestDirectory();
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync(["check", "--config", config, .. switches]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"configuration error: {key} ", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("hooks.example/alert", result.Error);
    }

    [Fact]
    public async Task Check_parses_and_renders_the_alert_templates_and_names_a_broken_override_by_file_line_and_column()
    {
        using var dir = new TestDirectory();
        var templates = Directory.CreateDirectory(Path.Combine(dir.Path, "templates")).FullName;
        var config = Config.Write(dir, digest: new { TimeZone = "America/New_York", OutputDirectory = dir.File("digests"), Templates = templates },
            alerts: new { Webhooks = new[] { new { Url = "https://hooks.example/alert", Format = "slack" } }, Watches = new[] { new { Name = "baton", Query = "\"Baton Rouge\"" } } });

        var ok = await CliRunner.RunAsync("check", "--config", config);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("4 alert templates parsed", ok.Output);
        Assert.Matches(@"alerts: ok \(slack:hooks\.example#[0-9a-f]{6}; incident at 3 agencies within 03:00:00, 1 watch, source failure after 5 failed cycles\)", ok.Output);

        dir.Write("templates/alert.slack.sbn", "*{{ alert.kind_title }}*\n{{ for post in alert.posts }}\n");
        var broken = await CliRunner.RunAsync("check", "--config", config);
        Assert.Equal(2, broken.ExitCode);
        Assert.Matches(@"alert\.slack\.sbn:\d+:\d+", broken.Error);

        // A variable the model does not have is found by rendering, not only parsing.
        dir.Write("templates/alert.slack.sbn", "*{{ alert.kind_title }}* {{ alert.loss_name }}\n");
        var unknown = await CliRunner.RunAsync("check", "--config", config);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Matches(@"alert\.slack\.sbn:1:\d+", unknown.Error);
    }
}
