using System.Net;
using System.Net.Http.Json;
using SolidarityTracker.Model;
using SolidarityTracker.Tests.Support;
using static SolidarityTracker.Tests.Support.DigestWorld;

namespace SolidarityTracker.Tests.Web;

/// <summary>Logins, tokens, cross-site forms and headers, over the real `serve`.</summary>
public sealed class DashboardSecurityTests
{
    private const string Password = "correct horse battery staple";
    private const string Token = "api-token-0123456789";

    [Theory]
    [InlineData("--Web:Urls=http://0.0.0.0:5080", "Web:Password")]
    [InlineData("--Web:Urls=http://*:5080", "Web:Password")]
    [InlineData("--Web:Urls=http://192.0.2.10:5080", "Web:Password")]
    public async Task Listening_beyond_loopback_without_a_password_and_a_token_is_exit_2_naming_the_key(string urls, string key)
    {
        using var world = new DigestWorld();
        var result = await CliRunner.RunAsync("serve", "--config", world.ConfigFile, urls);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.Error);
        var withPassword = await CliRunner.RunAsync("serve", "--config", world.ConfigFile, urls, $"--Web:Password={Password}");
        Assert.Equal(2, withPassword.ExitCode);
        Assert.Contains("Web:ApiToken", withPassword.Error);
        Assert.DoesNotContain(Password, withPassword.Error);
        var badUrl = await CliRunner.RunAsync("serve", "--config", world.ConfigFile, "--Web:Urls=ftp://127.0.0.1:21");
        Assert.Equal(2, badUrl.ExitCode);
        Assert.Contains("Web:Urls", badUrl.Error);
    }

    [Fact]
    public async Task With_a_password_pages_need_the_login_cookie_and_with_a_token_the_api_needs_the_bearer()
    {
        using var world = new DigestWorld();
        await using var server = await DashboardServer.StartAsync(world.ConfigFile, $"--Web:Password={Password}", $"--Web:ApiToken={Token}");
        using var anonymous = server.Client();
        var page = await anonymous.GetAsync("/search?q=x");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?return=%2Fsearch%3Fq%3Dx", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/posts")).StatusCode);
        using (var wrong = server.Client(bearer: "guess"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/posts")).StatusCode);
        using (var api = server.Client(bearer: Token))
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/posts")).StatusCode);

        using var user = server.Client();
        await DashboardServer.LogInAsync(user, Password);
        var cookie = (await LoginResponse(server, Password)).Headers.GetValues("Set-Cookie").First(c => c.StartsWith("st_session="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/search?q=x")).StatusCode);
        // The login cookie is not an API token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/posts")).StatusCode);
        Assert.DoesNotContain(Password, server.Errors);
        Assert.DoesNotContain(Token, server.Errors);
    }

    private static async Task<HttpResponseMessage> LoginResponse(DashboardServer server, string password)
    {
        var client = server.Client();
        var form = await client.GetStringAsync("/login");
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = DashboardServer.Csrf(form), ["password"] = password }));
    }

    [Fact]
    public async Task Five_failed_logins_in_a_minute_refuse_the_address_even_the_right_password()
    {
        using var world = new DigestWorld();
        await using var server = await DashboardServer.StartAsync(world.ConfigFile, $"--Web:Password={Password}");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginResponse(server, "wrong")).StatusCode);
        var refused = await LoginResponse(server, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("st_session="));
    }

    [Fact]
    public async Task A_form_without_its_token_or_with_another_visitors_token_is_refused_and_changes_nothing()
    {
        using var world = new DigestWorld();
        var post = world.Post("hamden-pd", Utc("2026-05-13T12:00:00Z"), "Thoughts and prayers");
        await world.AddAsync((post, [Labels.Condolence]));
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var victim = server.Client();
        using var attacker = server.Client();
        var attackersToken = DashboardServer.Csrf(await attacker.GetStringAsync($"/posts/x/{post.PostId}"));
        await victim.GetStringAsync($"/posts/x/{post.PostId}");

        var none = await victim.PostAsync($"/posts/x/{post.PostId}/labels", new FormUrlEncodedContent(new Dictionary<string, string> { ["labels"] = "safety_reminder" }));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        var stolen = await victim.PostAsync($"/posts/x/{post.PostId}/labels", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = attackersToken, ["labels"] = "safety_reminder" }));
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        var export = await CliRunner.RunAsync("export", "--config", world.ConfigFile);
        Assert.Contains(",condolence,", export.Output);

        var own = DashboardServer.Csrf(await victim.GetStringAsync($"/posts/x/{post.PostId}"));
        var sent = await victim.PostAsync($"/posts/x/{post.PostId}/labels", new FormUrlEncodedContent([new("csrf", own), new("labels", "memorial"), new("labels", "safety_reminder")]));
        Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        Assert.Contains(",memorial;safety_reminder,", (await CliRunner.RunAsync("export", "--config", world.ConfigFile)).Output);
    }

    [Fact]
    public async Task Every_page_carries_a_content_security_policy_without_script_and_the_stylesheet_is_served()
    {
        using var world = new DigestWorld();
        await using var server = await DashboardServer.StartAsync(world.ConfigFile);
        using var client = server.Client();
        foreach (var path in new[] { "/", "/search", "/incidents", "/sources", "/alerts", "/login", "/api/posts", "/posts/x/none" })
        {
            var response = await client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", csp);
            Assert.DoesNotContain("script-src", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", body, StringComparison.OrdinalIgnoreCase);
        }
        var css = await client.GetAsync("/style.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }
}
