using System.Text.Json.Nodes;
using MimeKit;
using SolidarityTracker.Alerts;
using SolidarityTracker.Polling;
using SolidarityTracker.Sources;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.ScriptedSource;

namespace SolidarityTracker.Tests.Alerts;

/// <summary>Alerts reaching real receivers: mail on the loopback SMTP server, Slack and Teams bodies, a wave through the loopback platform servers, a watch, source health.</summary>
public sealed class AlertDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 13, 14, 0, 0, TimeSpan.Zero);
    private const string Hostile = "Rest easy, Officer Daniel Reyes. <script>alert(1)</script> Our condolences to Millbrook #MillbrookStrong";

    /// <summary>Three agencies: two with the plain condolence, the third hostile and with a javascript: link.</summary>
    private static void Wave(ScriptedSource source)
    {
        foreach (var id in new[] { "a", "b" }) source.Then(TrackerWorld.Feed(id), IncidentAlertTests.Step(id, 1, Now.AddMinutes(-30)));
        source.Then(TrackerWorld.Feed("c"), new PageStep(Page("c1", Post(TrackerWorld.Feed("c"), "c-1", Now.AddMinutes(-10), Hostile) with { Url = "javascript:alert(1)" })));
    }

    [Fact]
    public async Task An_incident_alert_mail_has_text_and_html_with_post_text_escaped_and_a_subject_naming_the_loss()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"), new { Email = new { Enabled = true, To = new[] { "pr@agency.example", "chief@agency.example" } } }, Now,
            sources: null, polling: null,
            digest: dir => new { TimeZone = "America/New_York", OutputDirectory = dir.File("digests"), Email = new { Host = "127.0.0.1", Port = smtp.Port, UseTls = "none", From = "alerts@tracker.example" } },
            replaced: source);
        Wave(source);

        await world.Cycle.RunAsync();

        var mail = Assert.Single(smtp.Messages);
        Assert.StartsWith("Incident: Officer Daniel Reyes (3 agencies", mail.Subject);
        Assert.Equal(["pr@agency.example", "chief@agency.example"], mail.To.Mailboxes.Select(m => m.Address));
        var alert = Assert.Single(world.Alerts);
        Assert.Equal($"{alert.Id}@solidarity-tracker", mail.MessageId);
        var parts = Assert.IsType<MultipartAlternative>(mail.Body).OfType<TextPart>().ToList();
        Assert.Equal(["text/plain", "text/html"], parts.Select(p => p.ContentType.MimeType));
        var (text, html) = (parts[0].Text, parts[1].Text);
        Assert.Contains("New incident: Incident: Officer Daniel Reyes", text);
        Assert.Contains("c Police Department (OH)", text);
        Assert.Contains("2026-05-13 09:50", text);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Contains("href=\"https://example.org/", html);
        Assert.Equal("sent", Assert.Single(alert.Deliveries).Status);
    }

    [Fact]
    public async Task Slack_gets_text_and_blocks_and_Teams_an_adaptive_card_both_under_the_alerts_idempotency_key()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a", "b", "c"),
            new { Webhooks = new[] { new { Url = hooks.Url("/slack"), Format = "slack" }, new { Url = hooks.Url("/teams"), Format = "teams" } } }, Now, replaced: source);
        Wave(source);

        await world.Cycle.RunAsync();

        var id = Assert.Single(world.Alerts).Id;
        var slack = Assert.Single(hooks.To("/slack"));
        Assert.Equal(id, slack.IdempotencyKey);
        Assert.StartsWith("Incident: Officer Daniel Reyes", (string)slack.Json["text"]!);
        var blocks = slack.Json["blocks"]!.AsArray();
        Assert.Equal(["header", "section"], blocks.Select(b => (string)b!["type"]!));
        Assert.Equal("plain_text", (string)blocks[0]!["text"]!["type"]!);
        var section = (string)blocks[1]!["text"]!["text"]!;
        Assert.Equal("mrkdwn", (string)blocks[1]!["text"]!["type"]!);
        Assert.Contains("*a Police Department*", section);
        Assert.Contains("<https://example.org/", section);
        Assert.Contains("&lt;script&gt;", section);
        Assert.DoesNotContain("javascript:", section);

        var teams = Assert.Single(hooks.To("/teams"));
        Assert.Equal(id, teams.IdempotencyKey);
        Assert.Equal("message", (string)teams.Json["type"]!);
        var attachment = Assert.Single(teams.Json["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string)attachment["contentType"]!);
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", (string)card["type"]!);
        var body = card["body"]!.AsArray();
        Assert.StartsWith("Incident: Officer Daniel Reyes", (string)body[0]!["text"]!);
        var cardText = (string)body[1]!["text"]!;
        Assert.Contains("**a Police Department**", cardText);
        Assert.DoesNotContain("javascript:", cardText);
        Assert.DoesNotContain("<script>", cardText);
    }

    [Fact]
    public async Task A_wave_replayed_through_the_loopback_x_and_mastodon_servers_alerts_within_the_cycle_and_its_growth_makes_one_update()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var x = await XApiServer.StartAsync();
        await using var mastodon = await MastodonServer.StartAsync();
        var xUsers = new[] { "ashlandpd", "bexleypd" }.Select((u, i) => x.Add($"10{i}", u, $"{u} Police")).ToList();
        foreach (var u in new[] { "covington", "dayton", "elyria" }) mastodon.AddAccount(u);
        var agencies = new object[]
        {
            new { Id = "ashland", Name = "Ashland Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "ashlandpd" } } },
            new { Id = "bexley", Name = "Bexley Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "bexleypd" } } },
            new { Id = "covington", Name = "Covington Police", State = "KY", Accounts = new[] { new { Platform = "mastodon", Handle = "covington@police.example" } } },
            new { Id = "dayton", Name = "Dayton Police", State = "OH", Accounts = new[] { new { Platform = "mastodon", Handle = "dayton@police.example" } } },
            new { Id = "elyria", Name = "Elyria Police", State = "OH", Accounts = new[] { new { Platform = "mastodon", Handle = "elyria@police.example" } } },
        };
        using var world = new AlertWorld(agencies, new { Incident = new { UpdateEvery = "01:00:00" }, Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, Now,
            sources: new { X = new { BaseUrl = x.BaseUrl, BearerToken = XApiServer.Token }, Mastodon = new { BaseUrl = mastodon.BaseUrl } });
        // A quiet first cycle: the accounts are resolved and their cursors set.
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        Assert.Empty(hooks.Bodies);

        world.Clock.Advance(TimeSpan.FromMinutes(20));
        var at = world.Clock.GetUtcNow();
        x.Post(xUsers[0], XApiServer.Tweet("1790000000000000001", "Our hearts are with the Millbrook Police Department after the loss of Officer Daniel Reyes. #MillbrookStrong", at.AddMinutes(-12), xUsers[0].Id));
        x.Post(xUsers[1], XApiServer.Tweet("1790000000000000002", "Bexley officers send condolences to the family of Officer Daniel Reyes &amp; Millbrook PD.", at.AddMinutes(-8), xUsers[1].Id));
        mastodon.Post("covington", "<p>Rest in peace, Officer Daniel Reyes. Our deepest condolences to Millbrook. <a href=\"https://police.example/tags/MillbrookStrong\">#<span>MillbrookStrong</span></a></p>", at.AddMinutes(-3));

        var cycle = await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);

        // Sent within the cycle: received and marked sent before RunAsync returned.
        var alert = Assert.Single(hooks.To("/json"));
        Assert.True(alert.At <= DateTimeOffset.UtcNow);
        Assert.Equal(0, cycle.Failures);
        Assert.Equal("incident", (string)alert.Json["kind"]!);
        Assert.Equal(["ashland", "bexley", "covington"], alert.Json["agencies"]!.AsArray().Select(a => (string)a!["id"]!).Order());
        Assert.Equal("sent", Assert.Single(Assert.Single(world.Alerts).Deliveries).Status);

        // Two more agencies half an hour later: no update yet (Alerts:Incident:UpdateEvery is an hour), then one naming both.
        world.Clock.Advance(TimeSpan.FromMinutes(30));
        at = world.Clock.GetUtcNow();
        mastodon.Post("dayton", "<p>Dayton Police sends its condolences on the loss of Officer Daniel Reyes of Millbrook. #MillbrookStrong</p>", at.AddMinutes(-20));
        mastodon.Post("elyria", "<p>Our condolences to Millbrook Police on the loss of Officer Daniel Reyes.</p>", at.AddMinutes(-5));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        Assert.Single(hooks.To("/json"));
        world.Clock.Advance(TimeSpan.FromMinutes(35));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);

        var received = hooks.To("/json");
        Assert.Equal(2, received.Count);
        Assert.Equal("incident_update", (string)received[1].Json["kind"]!);
        Assert.Equal(["dayton", "elyria"], received[1].Json["agencies"]!.AsArray().Select(a => (string)a!["id"]!).Order());
        Assert.Equal((string)received[0].Json["incident_id"]!.ToString(), received[1].Json["incident_id"]!.ToString());
        Assert.Equal(5, Assert.Single(world.Incidents).Agencies.Count);
    }

    [Fact]
    public async Task A_watch_sends_one_message_per_cycle_with_the_new_posts_matching_all_its_criteria()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource();
        var agencies = new object[]
        {
            new { Id = "la-1", Name = "Baker Police", State = "LA", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("la-1") } } },
            new { Id = "la-2", Name = "Zachary Police", State = "LA", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("la-2") } } },
            new { Id = "tx-1", Name = "Dallas Police", State = "TX", Accounts = new[] { new { Platform = "rss", Url = TrackerWorld.Feed("tx-1") } } },
        };
        var alerts = new
        {
            Watches = new[] { new { Name = "baton-rouge", Query = "\"Baton Rouge\"", States = new[] { "LA" } } },
            Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } },
        };
        using var world = new AlertWorld(agencies, alerts, Now, replaced: source);
        source.Then(TrackerWorld.Feed("la-1"), new PageStep(Page("1", Post(TrackerWorld.Feed("la-1"), "la1-1", Now.AddMinutes(-20), "Baker officers stand with Baton Rouge tonight."),
            Post(TrackerWorld.Feed("la-1"), "la1-2", Now.AddMinutes(-15), "Road work on Main Street this week."))));
        source.Then(TrackerWorld.Feed("la-2"), new PageStep(Page("1", Post(TrackerWorld.Feed("la-2"), "la2-1", Now.AddMinutes(-5), "Praying for Baton Rouge. Stay vigilant."))));
        source.Then(TrackerWorld.Feed("tx-1"), new PageStep(Page("1", Post(TrackerWorld.Feed("tx-1"), "tx1-1", Now.AddMinutes(-5), "Dallas stands with Baton Rouge."))));

        await world.Cycle.RunAsync();

        var first = Assert.Single(hooks.To("/json")).Json;
        Assert.Equal("watch", (string)first["kind"]!);
        Assert.Equal("Watch baton-rouge: 2 new posts", (string)first["title"]!);
        Assert.Equal(["la1-1", "la2-1"], first["posts"]!.AsArray().Select(p => (string)p!["post_id"]!).Order());

        // A cycle with nothing new matching sends nothing; the next match is a message of its own.
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        Assert.Single(hooks.To("/json"));
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        source.Then(TrackerWorld.Feed("la-2"), new PageStep(Page("2", Post(TrackerWorld.Feed("la-2"), "la2-2", world.Clock.GetUtcNow().AddMinutes(-1), "Vigil for Baton Rouge at 7 pm."))));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        var second = hooks.To("/json")[1].Json;
        Assert.Equal("Watch baton-rouge: 1 new post", (string)second["title"]!);
        Assert.Equal(2, hooks.To("/json").Count);
    }

    [Fact]
    public async Task An_account_failing_FailureThreshold_cycles_in_a_row_sends_one_failure_and_one_recovery()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource();
        using var world = new AlertWorld(TrackerWorld.RssAgencies("a"), new { FailureThreshold = 3, Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, Now, replaced: source);
        for (var i = 0; i < 4; i++) source.Then(TrackerWorld.Feed("a"), new FailStep(new SourceException(SourceErrorKind.Transient, "HTTP 503")));
        source.Then(TrackerWorld.Feed("a"), new PageStep(Page("ok")));

        var kinds = new List<int>();
        for (var cycle = 0; cycle < 5; cycle++)
        {
            await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
            kinds.Add(hooks.To("/json").Count);
            world.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        // Nothing for the first two failures, one alert at the third, none at the fourth, the recovery at the first success.
        Assert.Equal([0, 0, 1, 1, 2], kinds);
        var (failure, recovery) = (hooks.To("/json")[0].Json, hooks.To("/json")[1].Json);
        Assert.Equal("source_failure", (string)failure["kind"]!);
        Assert.Equal("rss", (string)failure["account"]!["platform"]!);
        Assert.Equal("a", (string)failure["account"]!["agency_id"]!);
        Assert.Contains("HTTP 503", (string)failure["error"]!);
        Assert.Equal("source_recovered", (string)recovery["kind"]!);
        Assert.Contains("3 failed polls in a row", (string)recovery["title"]!);
    }

    [Fact]
    public async Task The_X_usage_cap_sends_one_source_failure_for_the_platform_from_the_typed_error_and_its_end_one_recovery()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var x = await XApiServer.StartAsync();
        var capped = x.Add("100", "ashlandpd");
        x.Add("101", "bexleypd");
        capped.Fault = XFault.UsageCap;
        var agencies = new object[]
        {
            new { Id = "ashland", Name = "Ashland Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "ashlandpd" } } },
            new { Id = "bexley", Name = "Bexley Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "bexleypd" } } },
        };
        // The fake X server's rate-limit resets are wall-clock times: this world's clock starts at the wall clock too.
        var now = DateTimeOffset.UtcNow;
        using var world = new AlertWorld(agencies, new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, now,
            sources: new { X = new { BaseUrl = x.BaseUrl, BearerToken = XApiServer.Token } }, polling: new { MaxConcurrency = 1 });

        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);

        var failure = Assert.Single(hooks.To("/json")).Json;
        Assert.Equal("source_failure", (string)failure["kind"]!);
        Assert.Contains("X usage cap reached", (string)failure["title"]!);
        Assert.Equal("x", (string)failure["account"]!["platform"]!);

        // The month ends: the cap is lifted and the first X success is the recovery.
        capped.Fault = XFault.None;
        world.Clock.Set(new DateTimeOffset(now.Year, now.Month, 1, 0, 5, 0, TimeSpan.Zero).AddMonths(1));
        var after = await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        Assert.True(hooks.To("/json").Count == 2, string.Join("\n", after.Accounts.Select(a => $"{a.Handle} {a.ErrorKind} {a.Error}")) + string.Join(",", after.Waiting.Select(w => w.Account.Handle + " " + w.Until)));
        var recovery = hooks.To("/json")[1].Json;
        Assert.Equal("source_recovered", (string)recovery["kind"]!);
        Assert.Contains("X usage cap reached", (string)recovery["title"]!);
        Assert.Equal(2, hooks.To("/json").Count);
    }

    [Fact]
    public async Task A_rate_limit_429_that_mentions_a_usage_cap_in_its_wording_is_not_taken_for_the_cap()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        var source = new ScriptedSource(Model.Platforms.X);
        var agencies = new[] { new { Id = "ashland", Name = "Ashland Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "ashlandpd" } } } };
        using var world = new AlertWorld(agencies, new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, Now,
            sources: new { X = new { BearerToken = "unused" } }, polling: null, replaced: source);
        source.Then("ashlandpd", new FailStep(new SourceException(SourceErrorKind.RateLimited, "X /2/users/:id/tweets: HTTP 429 (Too Many Requests: UsageCapExceeded? no, the usage cap is fine)")));
        source.Then("ashlandpd", new FailStep(new SourceException(SourceErrorKind.Unauthorized, "X /2/users/:id/tweets: HTTP 403 (a protected account; BearerToken is fine)")));

        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);

        Assert.Empty(hooks.Bodies);
        Assert.Empty(world.Alerts);
    }

    [Fact]
    public async Task A_refused_X_token_sends_one_source_failure_for_the_platform_not_one_per_account()
    {
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var x = await XApiServer.StartAsync();
        x.Add("100", "ashlandpd");
        x.Add("101", "bexleypd");
        var agencies = new object[]
        {
            new { Id = "ashland", Name = "Ashland Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "ashlandpd" } } },
            new { Id = "bexley", Name = "Bexley Police", State = "OH", Accounts = new[] { new { Platform = "x", Handle = "bexleypd" } } },
        };
        using var world = new AlertWorld(agencies, new { Webhooks = new[] { new { Url = hooks.Url("/json"), Format = "json" } } }, Now,
            sources: new { X = new { BaseUrl = x.BaseUrl, BearerToken = "revoked-token" } });

        await world.Cycle.RunAsync(null, PollScope.EveryEnabled, default);

        var failure = Assert.Single(hooks.To("/json")).Json;
        Assert.Equal("source_failure", (string)failure["kind"]!);
        Assert.Contains("X token refused", (string)failure["title"]!);
        Assert.Contains("HTTP 401", (string)failure["error"]!);
        Assert.DoesNotContain("revoked-token", hooks.To("/json")[0].Body);
    }
}
