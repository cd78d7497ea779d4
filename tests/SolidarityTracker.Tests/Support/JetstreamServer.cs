using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A Jetstream on loopback (Kestrel with WebSockets), speaking its real shapes (github.com/bluesky-social/jetstream):
/// <c>/subscribe</c> with <c>wantedCollections</c>, <c>wantedDids</c>, <c>cursor</c> (time_us) and <c>requireHello</c> in the
/// query; the subscriber's <c>{"type":"options_update","payload":{…}}</c> messages replace its filters; events are
/// <c>{"did","time_us","kind":"commit"|"identity"|"account",…}</c>. Every event is kept in order, so a subscriber that
/// names a cursor is first sent the kept events at or after it (as Jetstream replays), then live ones; with
/// requireHello nothing is sent before the first options_update. <see cref="Drop"/> breaks every connection (an outage).
/// </summary>
public sealed class JetstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<JsonObject> _events = [];
    private readonly Lock _gate = new();
    private readonly List<Subscriber> _subscribers = [];
    private long _clock = 1_778_000_000_000_000; // time_us of the next event, moved on by each

    public string Url { get; }
    /// <summary>The query string of every connection, in order.</summary>
    public ConcurrentQueue<string> Connections { get; } = new();
    /// <summary>Every options_update payload received, in order.</summary>
    public ConcurrentQueue<JsonObject> OptionsUpdates { get; } = new();
    public int Connected { get { lock (_gate) return _subscribers.Count(s => s.Ready); } }
    /// <summary>While true, new connections are refused with 503 (Jetstream down).</summary>
    public bool Refuse { get; set; }

    private sealed class Subscriber(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;
        public HashSet<string> Dids { get; set; } = new(StringComparer.Ordinal);
        public HashSet<string> Collections { get; set; } = new(StringComparer.Ordinal);
        public bool Ready { get; set; }
        public SemaphoreSlim Send { get; } = new(1, 1);
        public CancellationTokenSource Abort { get; } = new();
    }

    private JetstreamServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<JetstreamServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        JetstreamServer? server = null;
        app.Map("/subscribe", context => server!.SubscribeAsync(context));
        await app.StartAsync();
        server = new JetstreamServer(app, app.Urls.First().Replace("http://", "ws://").TrimEnd('/') + "/subscribe");
        return server;
    }

    /// <summary>A post created: kind commit, operation create, collection app.bsky.feed.post, the record as the author's PDS wrote it.</summary>
    public JsonObject Post(string did, string rkey, string text, DateTimeOffset createdAt) => Emit(did, "commit", new JsonObject
    {
        ["rev"] = "3l" + rkey,
        ["operation"] = "create",
        ["collection"] = "app.bsky.feed.post",
        ["rkey"] = rkey,
        ["record"] = new JsonObject
        {
            ["$type"] = "app.bsky.feed.post",
            ["createdAt"] = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["langs"] = new JsonArray("en"),
            ["text"] = text,
        },
        ["cid"] = "bafyreistream" + rkey,
    });

    /// <summary>A repost: collection app.bsky.feed.repost, its record's subject the reposted post's uri and cid.</summary>
    public JsonObject Repost(string did, string rkey, string subjectUri, DateTimeOffset createdAt) => Emit(did, "commit", new JsonObject
    {
        ["rev"] = "3l" + rkey,
        ["operation"] = "create",
        ["collection"] = "app.bsky.feed.repost",
        ["rkey"] = rkey,
        ["record"] = new JsonObject
        {
            ["$type"] = "app.bsky.feed.repost",
            ["createdAt"] = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["subject"] = new JsonObject { ["cid"] = "bafyreisubject", ["uri"] = subjectUri },
        },
        ["cid"] = "bafyreirepost" + rkey,
    });

    /// <summary>A record deleted: operation delete carries no record.</summary>
    public JsonObject Delete(string did, string collection, string rkey) => Emit(did, "commit", new JsonObject
    {
        ["rev"] = "3ldel" + rkey,
        ["operation"] = "delete",
        ["collection"] = collection,
        ["rkey"] = rkey,
    });

    public JsonObject Identity(string did, string handle) => Emit(did, "identity", new JsonObject
    {
        ["did"] = did,
        ["handle"] = handle,
        ["seq"] = 1409752997,
        ["time"] = "2026-05-13T12:00:00.000Z",
    });

    /// <summary>An account event; inactive ones carry a status (takendown, suspended, deactivated, deleted).</summary>
    public JsonObject Account(string did, bool active, string? status = null)
    {
        var account = new JsonObject { ["active"] = active, ["did"] = did, ["seq"] = 1409753013, ["time"] = "2026-05-13T12:00:00.000Z" };
        if (status is not null) account["status"] = status;
        return Emit(did, "account", account);
    }

    private JsonObject Emit(string did, string kind, JsonObject body)
    {
        JsonObject evt;
        List<Subscriber> targets;
        lock (_gate)
        {
            _clock += 1_000_000 + Random.Shared.Next(1000);
            evt = new JsonObject { ["did"] = did, ["time_us"] = _clock, ["kind"] = kind, [kind] = body };
            _events.Add(evt);
            targets = _subscribers.Where(s => s.Ready).ToList();
        }
        foreach (var subscriber in targets) _ = SendAsync(subscriber, evt);
        return evt;
    }

    public static long TimeUs(JsonObject evt) => evt["time_us"]!.GetValue<long>();

    /// <summary>Breaks every open connection without a close handshake, as a network outage would.</summary>
    public void Drop()
    {
        List<Subscriber> all;
        lock (_gate) all = _subscribers.ToList();
        foreach (var subscriber in all)
        {
            subscriber.Abort.Cancel();
            subscriber.Socket.Abort();
        }
    }

    private async Task SubscribeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest || Refuse)
        {
            context.Response.StatusCode = Refuse ? 503 : 400;
            return;
        }
        Connections.Enqueue(context.Request.QueryString.Value ?? "");
        var query = context.Request.Query;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var subscriber = new Subscriber(socket)
        {
            Dids = query["wantedDids"].Select(d => d!).ToHashSet(StringComparer.Ordinal),
            Collections = query["wantedCollections"].Select(c => c!).ToHashSet(StringComparer.Ordinal),
        };
        long? cursor = long.TryParse(query["cursor"], out var c) ? c : null;
        var requireHello = query["requireHello"] == "true";
        lock (_gate) _subscribers.Add(subscriber);
        try
        {
            if (!requireHello) await StartAsync(subscriber, cursor);
            var buffer = new byte[1 << 20];
            while (socket.State == WebSocketState.Open && !subscriber.Abort.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, subscriber.Abort.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                var message = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count))!.AsObject();
                if ((string?)message["type"] != "options_update") continue;
                var payload = message["payload"]!.AsObject();
                OptionsUpdates.Enqueue(payload);
                subscriber.Dids = payload["wantedDids"]?.AsArray().Select(d => (string)d!).ToHashSet(StringComparer.Ordinal) ?? subscriber.Dids;
                subscriber.Collections = payload["wantedCollections"]?.AsArray().Select(x => (string)x!).ToHashSet(StringComparer.Ordinal) ?? subscriber.Collections;
                if (!subscriber.Ready) await StartAsync(subscriber, cursor);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException) { }
        finally
        {
            lock (_gate) _subscribers.Remove(subscriber);
        }
    }

    /// <summary>Replays the kept events from the cursor, then marks the subscriber ready for live ones (under the lock, so none falls between).</summary>
    private async Task StartAsync(Subscriber subscriber, long? cursor)
    {
        List<JsonObject> replay;
        lock (_gate)
        {
            replay = cursor is { } from ? _events.Where(e => TimeUs(e) >= from).ToList() : [];
            subscriber.Ready = true;
        }
        foreach (var evt in replay) await SendAsync(subscriber, evt);
    }

    private static async Task SendAsync(Subscriber subscriber, JsonObject evt)
    {
        var did = (string)evt["did"]!;
        var collection = (string?)evt["commit"]?["collection"];
        if (subscriber.Dids.Count > 0 && !subscriber.Dids.Contains(did)) return;
        if (collection is not null && subscriber.Collections.Count > 0 && !subscriber.Collections.Contains(collection)) return;
        var bytes = Encoding.UTF8.GetBytes(evt.ToJsonString());
        await subscriber.Send.WaitAsync();
        try
        {
            if (subscriber.Socket.State == WebSocketState.Open)
                await subscriber.Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException) { }
        finally
        {
            subscriber.Send.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Drop();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
