using MimeKit;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Digests;

/// <summary>`digest --send` against a real SMTP server on loopback.</summary>
public sealed class DigestEmailTests
{
    private static object Email(int port, string? password = null, string? username = null, string tls = "none") => new
    {
        Enabled = true,
        Host = "127.0.0.1",
        Port = port,
        UseTls = tls,
        Username = username,
        From = "digest@tracker.example",
        To = new[] { "pr@agency.example", "chief@agency.example" },
        Password = password,
    };

    [Fact]
    public async Task Sending_mails_html_with_a_plain_text_alternative_and_a_subject_with_date_and_counts()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        using var world = new DigestWorld(email: Email(smtp.Port));
        await DigestScenario.SeedAsync(world);

        var result = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--send");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(", mailed", result.Output);
        var message = Assert.Single(smtp.Messages);
        Assert.Equal("Solidarity digest 2026-05-13: 9 posts, 3 condolence, 4 memorial, 4 safety reminder", message.Subject);
        Assert.Equal(["pr@agency.example", "chief@agency.example"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("digest@tracker.example", message.From.Mailboxes.Single().Address);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.OfType<TextPart>().Select(p => p.ContentType.MimeType));
        var text = alternative.OfType<TextPart>().First().Text;
        var html = alternative.OfType<TextPart>().Last().Text;
        Assert.StartsWith("SOLIDARITY DIGEST 2026-05-13", text);
        Assert.Contains("Officer Daniel Reyes", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Equal(File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html")), html.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_second_run_for_the_same_day_does_not_mail_again()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        using var world = new DigestWorld(email: Email(smtp.Port));
        await DigestScenario.SeedAsync(world);

        var first = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--send");
        var second = await world.Service().RunAsync(new(DigestScenario.Day, Send: true));
        var third = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--send");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Single(smtp.Messages);
        Assert.False(second.Sent);
        Assert.NotNull(second.AlreadySentAt);
        Assert.Equal("pr@agency.example, chief@agency.example", second.AlreadySentTo);
        Assert.Contains("not mailed again (already sent to pr@agency.example, chief@agency.example at ", third.Output.Split('\n')[0]);
        // Another day is its own digest.
        var other = await world.Service().RunAsync(new(new DateOnly(2026, 5, 12), Send: true));
        Assert.True(other.Sent);
        Assert.Equal(2, smtp.Messages.Count);
    }

    [Fact]
    public async Task When_smtp_is_down_the_files_are_written_and_the_command_exits_1_with_one_line_and_no_password()
    {
        using var world = new DigestWorld(email: Email(LoopbackPorts.Free(), password: "s3cret-smtp-pass"));
        await DigestScenario.SeedAsync(world);

        var result = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--send");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: SMTP 127.0.0.1:", line);
        Assert.DoesNotContain("s3cret-smtp-pass", result.Error + result.Output);
        foreach (var ext in new[] { "html", "md", "txt" })
            Assert.True(File.Exists(Path.Combine(world.OutputDirectory, $"digest-2026-05-13.{ext}")), ext);

        // The failed attempt did not count as sent: once SMTP is back, the day is mailed.
        await using var smtp = await SmtpTestServer.StartAsync();
        var settings = world.Settings with { Digest = world.Settings.Digest };
        settings.Digest.Email.Port = smtp.Port;
        var retry = await world.Service(settings).RunAsync(new(DigestScenario.Day, Send: true));
        Assert.True(retry.Sent);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task The_smtp_login_uses_the_configured_username_and_password_and_a_refused_login_keeps_the_password_out_of_the_error()
    {
        await using var smtp = await SmtpTestServer.StartAsync(("digest-bot", "right-pass"));
        using var world = new DigestWorld(email: Email(smtp.Port, password: "right-pass", username: "digest-bot"));
        await DigestScenario.SeedAsync(world);

        var sent = await world.Service().RunAsync(new(DigestScenario.Day, ["txt"], Send: true));
        Assert.True(sent.Sent);
        Assert.Equal(("digest-bot", "right-pass"), smtp.Logins.Single());
        Assert.Single(smtp.Messages);

        var refused = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-12", "--send", "--Digest:Email:Password=wrong-pass-123");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.DoesNotContain("wrong-pass-123", refused.Error + refused.Output);
        Assert.StartsWith("error: SMTP 127.0.0.1:", refused.Error);
    }

    [Fact]
    public async Task UseTls_starttls_refuses_to_mail_in_clear_text_when_the_server_offers_no_tls()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        using var world = new DigestWorld(email: Email(smtp.Port, tls: "starttls"));

        var result = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--send");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("(starttls)", result.Error);
        Assert.Empty(smtp.Messages);
        Assert.True(File.Exists(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html")));
    }
}
