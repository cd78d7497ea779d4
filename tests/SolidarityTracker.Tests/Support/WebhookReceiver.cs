using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A webhook endpoint on loopback (Kestrel through <see cref="LoopbackServer"/>): records every body with its headers
/// and the moment it arrived, and answers 200, or what <see cref="Failing"/> says (a status code), or only after
/// <see cref="Hold"/> is released (a receiver that takes the message and then hangs).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackServer _http = null!;
    public ConcurrentQueue<Received> Bodies { get; } = new();
    /// <summary>While set, every request is answered with this status code (and still recorded).</summary>
    public int? Failing { get; set; }
    /// <summary>While set, requests are recorded and then left waiting on it.</summary>
    public TaskCompletionSource? Hold { get; set; }
    /// <summary>While set, requests are left waiting on it without being recorded: the message never arrived.</summary>
    public TaskCompletionSource? Swallow { get; set; }

    public sealed record Received(string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At, int Status)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
        public string? IdempotencyKey => Headers.TryGetValue("Idempotency-Key", out var key) ? key : null;
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        receiver._http = await LoopbackServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    public string Url(string path = "/hook") => _http.BaseUrl + path;

    public IReadOnlyList<Received> To(string path) => Bodies.Where(b => b.Path == path && b.Status == 200).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        if (Swallow is { } swallow)
        {
            await swallow.Task;
            context.Response.StatusCode = 503;
            return;
        }
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var status = Failing ?? 200;
        Bodies.Enqueue(new Received(context.Request.Path, body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), DateTimeOffset.UtcNow, status));
        if (Hold is { } hold) await hold.Task;
        context.Response.StatusCode = status;
    }

    public ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        Swallow?.TrySetResult();
        return _http.DisposeAsync();
    }
}
