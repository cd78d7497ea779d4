using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// Agency news feeds on loopback (over <see cref="LoopbackServer"/>): each path serves a testdata/rss file
/// with an ETag and Last-Modified and answers 304 to a matching If-None-Match (or, without one, a matching
/// If-Modified-Since); or a status code, a slow answer, or raw bytes. Dates in the files are written as
/// {{rfc822:-2d}} / {{iso:-3h}} and rendered relative to when the server started, so the back-fill window
/// always has something in it.
/// </summary>
public sealed partial class FeedServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Route> _routes = new();
    private readonly LoopbackServer _server;
    public DateTimeOffset Now { get; }
    /// <summary>Every answer given: path and status code, in order.</summary>
    public ConcurrentQueue<(string Path, int Status)> Answers { get; } = new();

    private FeedServer(LoopbackServer server, DateTimeOffset now)
    {
        _server = server;
        Now = now;
    }

    public static async Task<FeedServer> StartAsync()
    {
        FeedServer? feeds = null;
        var server = await LoopbackServer.StartAsync(context => feeds!.HandleAsync(context));
        feeds = new FeedServer(server, DateTimeOffset.UtcNow);
        return feeds;
    }

    public string Url(string path) => _server.BaseUrl + path;

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) => _server.Requests.Where(r => r.Path == path).ToList();

    public int AnswersTo(string path, int status) => Answers.Count(a => a.Path == path && a.Status == status);

    /// <summary>Serves a file of testdata/rss at <paramref name="path"/>; serving another file later changes the ETag.</summary>
    public void ServeFile(string path, string file, TimeSpan? delay = null, string contentType = "application/rss+xml; charset=utf-8") =>
        _routes[path] = new Route(200, Encoding.UTF8.GetBytes(Render(File.ReadAllText(TestData(file)), Now)), contentType, delay, Validators: true);

    public void ServeStatus(string path, int status, IReadOnlyDictionary<string, string>? headers = null) =>
        _routes[path] = new Route(status, [], "text/plain", null, Validators: false, headers);

    public void ServeBytes(string path, byte[] body, string contentType = "application/xml") =>
        _routes[path] = new Route(200, body, contentType, null, Validators: false);

    public static string TestData(string file) => Path.Combine(AppContext.BaseDirectory, "testdata", "rss", file);

    private sealed record Route(int Status, byte[] Body, string ContentType, TimeSpan? Delay, bool Validators, IReadOnlyDictionary<string, string>? Headers = null)
    {
        public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(Body))[..16] + "\"";
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!_routes.TryGetValue(path, out var route))
        {
            await AnswerAsync(context, path, 404);
            return;
        }
        if (route.Delay is { } delay)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        foreach (var (name, value) in route.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        if (route.Status != 200)
        {
            await AnswerAsync(context, path, route.Status);
            return;
        }
        // Last-Modified a little before the server started; stable for the server's life.
        var lastModified = (Now - TimeSpan.FromHours(1)).ToString("R", CultureInfo.InvariantCulture);
        if (route.Validators)
        {
            var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
            var ifModifiedSince = context.Request.Headers.IfModifiedSince.ToString();
            if ((ifNoneMatch.Length > 0 && ifNoneMatch == route.ETag) || (ifNoneMatch.Length == 0 && ifModifiedSince == lastModified))
            {
                // Like some real servers, a 304 carries a fresh Last-Modified: a client must not take it as the feed's.
                context.Response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
                context.Response.Headers.ETag = "\"sent-with-a-304\"";
                await AnswerAsync(context, path, 304);
                return;
            }
            context.Response.Headers.ETag = route.ETag;
            context.Response.Headers.LastModified = lastModified;
        }
        Answers.Enqueue((path, 200));
        context.Response.ContentType = route.ContentType;
        context.Response.ContentLength = route.Body.Length;
        await context.Response.Body.WriteAsync(route.Body);
    }

    private Task AnswerAsync(HttpContext context, string path, int status)
    {
        Answers.Enqueue((path, status));
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Replaces {{rfc822:-2d}} and {{iso:-3h}} (d, h or m) with that instant relative to <paramref name="now"/>.</summary>
    public static string Render(string text, DateTimeOffset now) => DateToken().Replace(text, match =>
    {
        var amount = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var offset = match.Groups["unit"].Value switch { "d" => TimeSpan.FromDays(amount), "h" => TimeSpan.FromHours(amount), _ => TimeSpan.FromMinutes(amount) };
        var instant = now + offset;
        return match.Groups["style"].Value == "rfc822"
            ? instant.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture)
            : instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    });

    [GeneratedRegex(@"\{\{(?<style>rfc822|iso):(?<n>[+-]?\d+)(?<unit>[dhm])\}\}")]
    private static partial Regex DateToken();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
