using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) answering with a handler the test gives.
/// Every request is recorded (method, path and query, headers) so tests can assert what was asked.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public string BaseUrl { get; }

    private LoopbackServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<LoopbackServer> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Use(async (context, next) =>
        {
            server!.Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(context);
        });
        app.Run(handler);
        await app.StartAsync();
        var address = app.Urls.First();
        server = new LoopbackServer(app, address.TrimEnd('/'));
        return server;
    }

    public int Count(Func<RecordedRequest, bool> predicate) => Requests.Count(predicate);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => PathAndQuery.Split('?')[0];
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
