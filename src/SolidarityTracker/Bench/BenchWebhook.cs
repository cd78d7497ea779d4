using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SolidarityTracker.Bench;

/// <summary>The loopback webhook of `bench alerts`: Kestrel on 127.0.0.1, answering 200 and noting when each Idempotency-Key first arrived.</summary>
public sealed class BenchWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    /// <summary>Idempotency-Key → Stopwatch timestamp of its first arrival.</summary>
    public ConcurrentDictionary<string, long> FirstArrival { get; } = new();
    public long Requests => Interlocked.Read(ref _requests);
    public string Url { get; }

    private BenchWebhook(WebApplication app)
    {
        _app = app;
        Url = app.Urls.First().TrimEnd('/') + "/hook";
    }

    public static async Task<BenchWebhook> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        BenchWebhook? hook = null;
        app.Run(async context =>
        {
            var at = Stopwatch.GetTimestamp();
            // The body is read whole, as a real receiver does.
            await context.Request.Body.CopyToAsync(Stream.Null);
            Interlocked.Increment(ref hook!._requests);
            hook.FirstArrival.TryAdd(context.Request.Headers["Idempotency-Key"].ToString(), at);
            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        hook = new BenchWebhook(app);
        return hook;
    }

    public void Clear()
    {
        FirstArrival.Clear();
        Interlocked.Exchange(ref _requests, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
