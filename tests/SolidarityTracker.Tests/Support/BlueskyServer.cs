using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A Bluesky AppView on loopback, speaking the real XRPC shapes: <c>/xrpc/app.bsky.actor.getProfile?actor=</c>
/// (handle or DID), <c>/xrpc/app.bsky.actor.getProfiles?actors=&amp;actors=</c> (at most 25; answers
/// <c>{"profiles":[…]}</c> and leaves out the actors it does not know, as the AppView does) and <c>/xrpc/app.bsky.feed.getAuthorFeed?actor=&amp;limit=&amp;cursor=</c> (default 50, at most 100),
/// newest first by sort time (a repost's indexedAt, a post's earlier of createdAt and indexedAt), with an opaque
/// keyset cursor on every non-empty page, as the AppView does. A pinned post stands on top of the first page
/// with reason <c>app.bsky.feed.defs#reasonPin</c>. Errors are XRPC's <c>{"error":…,"message":…}</c> (400
/// InvalidRequest "Profile not found" for an unknown actor); every answer carries RateLimit-Limit/-Remaining/-Reset
/// (epoch seconds)/-Policy. Items are built from the testdata/bluesky templates.
/// </summary>
public sealed class BlueskyServer : IAsyncDisposable
{
    private const string SampleDid = "did:plc:z72i7hdynmk6r22z27h6tvur";

    private readonly object _gate = new();
    private readonly Dictionary<string, FakeActor> _actors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<HttpContext, Task<bool>>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private LoopbackServer _http = null!;
    private long _sequence;

    public string BaseUrl => _http.BaseUrl;
    public IReadOnlyList<RecordedRequest> Requests => _http.Requests.ToList();
    public int RateLimitRemaining { get; set; } = 2999;
    public DateTimeOffset? RateLimitReset { get; set; }

    private sealed class FakeActor
    {
        public required JsonObject Profile { get; init; }
        public List<(DateTimeOffset SortAt, JsonObject Item)> Feed { get; } = [];
        public string? PinnedUri { get; set; }
        public bool PinMarked { get; set; } = true;
        public string Did => (string)Profile["did"]!;
        public string Handle => (string)Profile["handle"]!;
    }

    public static async Task<BlueskyServer> StartAsync()
    {
        var server = new BlueskyServer();
        server._http = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    public static string TestData(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "bluesky", name));

    /// <summary>Adds an actor; returns its DID.</summary>
    public string AddActor(string handle, string? did = null, string? displayName = null)
    {
        did ??= "did:plc:" + new string(handle.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant().PadRight(24, 'x')[..24];
        var profile = JsonNode.Parse(TestData("profile.json").Replace(SampleDid, did))!.AsObject();
        profile["handle"] = handle;
        profile["displayName"] = displayName ?? $"{handle.Split('.')[0]} Police";
        lock (_gate) _actors[handle] = new FakeActor { Profile = profile };
        return did;
    }

    public void SetAvatar(string handle, string avatar)
    {
        lock (_gate) _actors[handle].Profile["avatar"] = avatar;
    }

    /// <summary>A new post by the actor; returns its feed item (post.uri is its AT URI).</summary>
    public JsonObject Post(string handle, string text, DateTimeOffset createdAt, Action<JsonObject>? shape = null)
    {
        lock (_gate)
        {
            var actor = _actors[handle];
            var n = Interlocked.Increment(ref _sequence);
            var item = JsonNode.Parse(TestData("post.json"))!.AsObject();
            var post = item["post"]!.AsObject();
            post["uri"] = $"at://{actor.Did}/app.bsky.feed.post/3l{n:D11}";
            post["cid"] = $"bafyreitest{n:D10}";
            post["record"]!["text"] = text;
            post["record"]!["createdAt"] = Iso(createdAt);
            post["indexedAt"] = Iso(createdAt.AddMilliseconds(250));
            shape?.Invoke(item);
            actor.Feed.Add((SortAt(item), item));
            return item;
        }
    }

    /// <summary>The items of testdata/bluesky/feed.json as the actor's, moved in time so the newest is at <paramref name="newest"/>.</summary>
    public IReadOnlyList<JsonObject> AddSamples(string handle, DateTimeOffset newest)
    {
        lock (_gate)
        {
            var actor = _actors[handle];
            var items = JsonNode.Parse(TestData("feed.json").Replace(SampleDid, actor.Did))!.AsArray().Select(n => n!.AsObject()).ToList();
            var shift = newest - items.Max(SortAt);
            foreach (var item in items)
            {
                Shift(item, shift);
                actor.Feed.Add((SortAt(item), item));
            }
            return items;
        }
    }

    /// <summary>Deletes a post (or undoes a repost): its item leaves the actor's feed.</summary>
    public void Delete(string handle, JsonObject item)
    {
        lock (_gate) _actors[handle].Feed.RemoveAll(entry => ReferenceEquals(entry.Item, item));
    }

    /// <summary>Pins a post on top of the first page; <paramref name="marked"/> false leaves out the reasonPin, as a view without it would.</summary>
    public void Pin(string handle, string? uri, bool marked = true)
    {
        lock (_gate)
        {
            _actors[handle].PinnedUri = uri;
            _actors[handle].PinMarked = marked;
        }
    }

    /// <summary>Answers every request about this actor with <paramref name="fault"/> while it returns true; null clears it.</summary>
    public void Fault(string handle, Func<HttpContext, Task<bool>>? fault)
    {
        lock (_gate)
        {
            if (fault is null) _faults.Remove(handle);
            else _faults[handle] = fault;
        }
    }

    public int Count(Func<RecordedRequest, bool> predicate) => _http.Count(predicate);

    private async Task HandleAsync(HttpContext context)
    {
        var actorParam = context.Request.Query["actor"].ToString();
        var actorsParam = context.Request.Query["actors"].Select(a => a ?? "").ToList();
        FakeActor? actor;
        List<FakeActor> listed;
        Func<HttpContext, Task<bool>>? fault = null;
        lock (_gate)
        {
            FakeActor? Find(string name) => _actors.Values.FirstOrDefault(a => string.Equals(a.Handle, name, StringComparison.OrdinalIgnoreCase) || a.Did == name);
            actor = Find(actorParam);
            listed = actorsParam.Select(Find).OfType<FakeActor>().Distinct().ToList();
            // A fault of any actor asked about answers the request.
            foreach (var name in listed.Select(a => a.Handle).Concat(actorsParam).Prepend(actor?.Handle ?? actorParam))
                if (fault is null) _faults.TryGetValue(name, out fault);
        }
        var reset = RateLimitReset ?? DateTimeOffset.UtcNow.AddMinutes(5);
        context.Response.Headers["RateLimit-Limit"] = "3000";
        context.Response.Headers["RateLimit-Remaining"] = RateLimitRemaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["RateLimit-Policy"] = "3000;w=300";
        if (fault is not null && await fault(context)) return;

        switch (context.Request.Path.Value)
        {
            case "/xrpc/app.bsky.actor.getProfile" or "/xrpc/app.bsky.feed.getAuthorFeed" when actorParam.Length == 0:
                await Json(context, 400, """{"error":"InvalidRequest","message":"Error: Params must have the property \"actor\""}""");
                return;
            case "/xrpc/app.bsky.actor.getProfile" or "/xrpc/app.bsky.feed.getAuthorFeed" when actor is null:
                await Json(context, 400, TestData("profile-not-found.json"));
                return;
            case "/xrpc/app.bsky.actor.getProfiles" when actorsParam.Count == 0:
                await Json(context, 400, """{"error":"InvalidRequest","message":"Error: Params must have the property \"actors\""}""");
                return;
            case "/xrpc/app.bsky.actor.getProfiles" when actorsParam.Count > 25:
                await Json(context, 400, """{"error":"InvalidRequest","message":"Error: actors must not have more than 25 elements"}""");
                return;
            case "/xrpc/app.bsky.actor.getProfiles":
                string profiles;
                lock (_gate) profiles = new JsonObject { ["profiles"] = new JsonArray(listed.Select(a => a.Profile.DeepClone()).ToArray()) }.ToJsonString();
                await Json(context, 200, profiles);
                return;
            case "/xrpc/app.bsky.actor.getProfile":
                string profile;
                lock (_gate) profile = actor!.Profile.ToJsonString();
                await Json(context, 200, profile);
                return;
            case "/xrpc/app.bsky.feed.getAuthorFeed":
                await AuthorFeedAsync(context, actor!);
                return;
            case "/xrpc/app.bsky.feed.getPosts":
                // Post views by AT URI (up to 25 uris), in the order asked; a post the AppView does not have is left out.
                var uris = context.Request.Query["uris"].Select(u => u!).ToList();
                JsonArray views;
                lock (_gate)
                    views = new JsonArray(uris.Select(u => _actors.Values.SelectMany(a => a.Feed).Select(f => f.Item["post"]!)
                        .FirstOrDefault(p => (string?)p["uri"] == u)).OfType<JsonNode>().Select(p => p.DeepClone()).ToArray());
                await Json(context, 200, new JsonObject { ["posts"] = views }.ToJsonString());
                return;
            default:
                await Json(context, 501, """{"error":"MethodNotImplemented","message":"Method Not Implemented"}""");
                return;
        }
    }

    private async Task AuthorFeedAsync(HttpContext context, FakeActor actor)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 50;
        var cursor = query["cursor"].ToString();
        List<(DateTimeOffset SortAt, JsonObject Item)> page;
        JsonObject? pinned = null;
        JsonObject author;
        lock (_gate)
        {
            var ordered = actor.Feed.OrderByDescending(f => f.SortAt).ThenByDescending(f => Cid(f.Item), StringComparer.Ordinal).AsEnumerable();
            if (cursor.Length > 0)
            {
                var parts = cursor.Split("::");
                var at = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[0], CultureInfo.InvariantCulture));
                ordered = ordered.Where(f => f.SortAt < at || (f.SortAt == at && string.CompareOrdinal(Cid(f.Item), parts[1]) < 0));
            }
            page = ordered.Take(limit).Select(f => (f.SortAt, JsonNode.Parse(f.Item.ToJsonString())!.AsObject())).ToList();
            if (cursor.Length == 0 && actor.PinnedUri is { } uri && actor.Feed.FirstOrDefault(f => (string)f.Item["post"]!["uri"]! == uri).Item is { } pin)
            {
                pinned = JsonNode.Parse(pin.ToJsonString())!.AsObject();
                if (actor.PinMarked) pinned["reason"] = new JsonObject { ["$type"] = "app.bsky.feed.defs#reasonPin" };
            }
            var p = actor.Profile;
            author = new JsonObject { ["did"] = actor.Did, ["handle"] = actor.Handle, ["displayName"] = p["displayName"]?.DeepClone(), ["avatar"] = p["avatar"]?.DeepClone(), ["labels"] = new JsonArray(), ["createdAt"] = p["createdAt"]?.DeepClone() };
        }
        var items = new List<JsonObject>();
        if (pinned is not null) items.Add(pinned);
        items.AddRange(page.Select(p => p.Item));
        foreach (var item in items)
            if (item["post"]!["author"] is JsonObject { Count: 0 }) item["post"]!["author"] = author.DeepClone();
        var body = new JsonObject { ["feed"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) };
        if (page.Count > 0) body["cursor"] = $"{page[^1].SortAt.ToUnixTimeMilliseconds()}::{Cid(page[^1].Item)}";
        await Json(context, 200, body.ToJsonString());
    }

    private static string Cid(JsonObject item) => (string)item["post"]!["cid"]!;

    private static DateTimeOffset SortAt(JsonObject item)
    {
        if (item["reason"] is JsonObject reason && (string?)reason["$type"] == "app.bsky.feed.defs#reasonRepost")
            return Parse((string)reason["indexedAt"]!);
        var indexed = Parse((string)item["post"]!["indexedAt"]!);
        var created = Parse((string)item["post"]!["record"]!["createdAt"]!);
        return created < indexed ? created : indexed;
    }

    /// <summary>Moves every timestamp of an item (createdAt, indexedAt) by the same amount.</summary>
    private static void Shift(JsonNode? node, TimeSpan shift)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (key is "createdAt" or "indexedAt" && obj[key] is JsonValue v && v.TryGetValue<string>(out var s))
                        obj[key] = Iso(Parse(s) + shift);
                    else Shift(obj[key], shift);
                }
                break;
            case JsonArray array:
                foreach (var child in array) Shift(child, shift);
                break;
        }
    }

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();
}
