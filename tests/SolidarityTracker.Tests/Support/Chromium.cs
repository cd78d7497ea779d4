using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// Headless Chromium as a reader of the digest: a screenshot, the DOM after load, and layout figures read over the
/// DevTools protocol from outside the page (the digest itself carries no script). A test that needs it fails when
/// /usr/bin/chromium is missing (.ci/run installs Debian's chromium); it never skips.
/// </summary>
public sealed class Chromium
{
    public const string DefaultPath = "/usr/bin/chromium";
    private readonly string _path;

    private Chromium(string path) => _path = path;

    public static Chromium Require() => File.Exists(DefaultPath)
        ? new Chromium(DefaultPath)
        : throw new InvalidOperationException($"{DefaultPath} is missing: install Debian's chromium (.ci/run does)");

    private static readonly string[] Quiet =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
    ];

    public async Task ScreenshotAsync(string htmlFile, string png, int width = 375, int height = 2000)
    {
        using var profile = new TestDirectory();
        var (code, _, error) = await RunAsync([.. Quiet, $"--user-data-dir={profile.Path}", $"--window-size={width},{height}", $"--screenshot={png}", new Uri(htmlFile).AbsoluteUri]);
        if (!File.Exists(png)) throw new InvalidOperationException($"chromium made no screenshot (exit {code}): {error}");
    }

    public async Task<string> DumpDomAsync(string htmlFile)
    {
        using var profile = new TestDirectory();
        var (code, output, error) = await RunAsync([.. Quiet, $"--user-data-dir={profile.Path}", "--window-size=375,2000", "--dump-dom", new Uri(htmlFile).AbsoluteUri]);
        if (code != 0 || output.Length == 0) throw new InvalidOperationException($"chromium --dump-dom failed (exit {code}): {error}");
        return output;
    }

    /// <summary>Opens the page at a phone's width and reads what a script-free page cannot tell about itself.</summary>
    public async Task<PageLayout> MeasureAsync(string htmlFile, int width = 375)
    {
        await using var page = await OpenAsync(width);
        await page.NavigateAsync(new Uri(htmlFile).AbsoluteUri);
        return await page.LayoutAsync();
    }

    /// <summary>A browser tab driven over the DevTools protocol: navigate, read the DOM, act as a user would.</summary>
    public async Task<BrowserPage> OpenAsync(int width = 375, int height = 2000)
    {
        var profile = new TestDirectory();
        var start = new ProcessStartInfo(_path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[.. Quiet, $"--user-data-dir={profile.Path}", $"--window-size={width},{height}", "--remote-debugging-port=0", "about:blank"])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        try
        {
            var endpoint = await ReadDevToolsEndpointAsync(process);
            // Keep both pipes drained so a chatty browser never blocks on a full buffer.
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using var http = new HttpClient();
            var port = new Uri(endpoint).Port;
            var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"));
            var target = targets.RootElement.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
            var devtools = new DevToolsSession(socket);
            await devtools.CallAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = width < 600 });
            await devtools.CallAsync("Page.enable", new { });
            return new BrowserPage(process, socket, devtools, profile);
        }
        catch
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
            profile.Dispose();
            throw;
        }
    }

    public sealed class BrowserPage : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ClientWebSocket _socket;
        private readonly DevToolsSession _devtools;
        private readonly TestDirectory _profile;

        internal BrowserPage(Process process, ClientWebSocket socket, DevToolsSession devtools, TestDirectory profile) =>
            (_process, _socket, _devtools, _profile) = (process, socket, devtools, profile);

        public async Task NavigateAsync(string url)
        {
            await EvaluateAsync("window.__leaving = 1");
            await _devtools.CallAsync("Page.navigate", new { url });
            await WaitForNewPageAsync();
        }

        /// <summary>Runs an action that leaves the page (a form sent, a link followed) and waits for the next one to load.</summary>
        public async Task ActAsync(string script)
        {
            await EvaluateAsync("window.__leaving = 1");
            await EvaluateAsync(script);
            await WaitForNewPageAsync();
        }

        private async Task WaitForNewPageAsync()
        {
            for (var i = 0; i < 300; i++)
            {
                if (await EvaluateAsync("String(typeof window.__leaving === 'undefined' && document.readyState === 'complete')") == "true") return;
                await Task.Delay(50);
            }
            throw new TimeoutException("the page did not load in 15 s");
        }

        public Task<string> EvaluateAsync(string expression) => _devtools.EvaluateAsync(expression);

        public Task<string> UrlAsync() => EvaluateAsync("location.href");

        public Task<string> HtmlAsync() => EvaluateAsync("document.documentElement.outerHTML");

        public async Task<PageLayout> LayoutAsync()
        {
            var json = await EvaluateAsync("""
                JSON.stringify({
                  scrollWidth: document.documentElement.scrollWidth,
                  clientWidth: document.documentElement.clientWidth,
                  widest: Math.max(...Array.from(document.body.querySelectorAll('*')).map(e => e.getBoundingClientRect().right)),
                  title: document.title,
                  scripts: document.scripts.length,
                  svgs: document.querySelectorAll('svg rect').length,
                  darkBackground: (() => { const m = window.matchMedia('(prefers-color-scheme: dark)').matches; return m; })()
                })
                """);
            return JsonSerializer.Deserialize<PageLayout>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        }

        public async Task ScreenshotAsync(string png)
        {
            var shot = await _devtools.CallAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
            await File.WriteAllBytesAsync(png, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        }

        public async ValueTask DisposeAsync()
        {
            _socket.Dispose();
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
            _process.Dispose();
            _profile.Dispose();
        }
    }

    private static async Task<string> ReadDevToolsEndpointAsync(Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (line is null) break;
            var match = Regex.Match(line, @"DevTools listening on (ws://\S+)");
            if (match.Success) return match.Groups[1].Value;
        }
        throw new InvalidOperationException("chromium did not open its DevTools endpoint");
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo(_path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 90 s");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Just enough of the DevTools protocol: numbered calls, answers matched by id, events skipped.</summary>
    internal sealed class DevToolsSession(ClientWebSocket socket)
    {
        private int _next;

        public async Task<JsonElement> CallAsync(string method, object parameters)
        {
            var id = Interlocked.Increment(ref _next);
            var request = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
            await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var message = await ReceiveAsync(timeout.Token);
                using var doc = JsonDocument.Parse(message);
                if (doc.RootElement.TryGetProperty("id", out var answered) && answered.GetInt32() == id)
                {
                    if (doc.RootElement.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method}: {error}");
                    return doc.RootElement.GetProperty("result").Clone();
                }
            }
        }

        public async Task<string> EvaluateAsync(string expression)
        {
            var result = await CallAsync("Runtime.evaluate", new { expression, returnByValue = true });
            if (result.TryGetProperty("exceptionDetails", out var failed)) throw new InvalidOperationException($"{expression}: {failed}");
            return result.GetProperty("result").TryGetProperty("value", out var value) ? value.ToString() : "";
        }

        private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            return Encoding.UTF8.GetString(message.ToArray());
        }
    }
}

public sealed record PageLayout(int ScrollWidth, int ClientWidth, double Widest, string Title, int Scripts, int Svgs, bool DarkBackground);
