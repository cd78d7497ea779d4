using System.Net;
using System.Text.RegularExpressions;
using SolidarityTracker.Cli;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// The real `serve` command in this process: Kestrel on a free loopback port over the test's SQLite file, stopped
/// on dispose. Clients keep cookies and do not follow redirects, so a test sees each answer as a browser gets it.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;
    private readonly StringWriter _output = new(), _error = new();
    public string BaseUrl { get; }

    private DashboardServer(Task<int> run, string baseUrl, StringWriter output, StringWriter error, CancellationTokenSource stop) =>
        (_run, BaseUrl, _output, _error, _stop) = (run, baseUrl, output, error, stop);

    public static async Task<DashboardServer> StartAsync(string configFile, params string[] switches)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var stop = new CancellationTokenSource();
        var synchronizedOut = TextWriter.Synchronized(output);
        var synchronizedError = TextWriter.Synchronized(error);
        string[] args = ["serve", "--config", configFile, "--Web:Urls=http://127.0.0.1:0", .. switches];
        var run = Task.Run(() => TrackerCli.RunAsync(args, synchronizedOut, synchronizedError, cancellationToken: stop.Token));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            string printed;
            lock (synchronizedOut) printed = output.ToString();
            var match = Regex.Match(printed, @"dashboard on (http://127\.0\.0\.1:\d+)");
            if (match.Success) return new DashboardServer(run, match.Groups[1].Value, output, error, stop);
            if (run.IsCompleted) throw new InvalidOperationException($"serve stopped with exit {await run}: {error}");
            await Task.Delay(50);
        }
        stop.Cancel();
        throw new TimeoutException($"serve did not start in 60 s: {error}");
    }

    public string Errors => _error.ToString();

    /// <summary>A client of its own (its own cookies), as one browser would be.</summary>
    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = new Uri(BaseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    /// <summary>The antiforgery token of a page's form.</summary>
    public static string Csrf(string html) =>
        Regex.Match(html, "name=\"csrf\" value=\"([^\"]+)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no form token on the page");

    /// <summary>Logs a client in through the real form.</summary>
    public static async Task LogInAsync(HttpClient client, string password)
    {
        var form = await client.GetStringAsync("/login");
        using var answer = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = Csrf(form), ["password"] = password, ["return"] = "/" }));
        if (answer.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"login answered {(int)answer.StatusCode}");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _run.WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
