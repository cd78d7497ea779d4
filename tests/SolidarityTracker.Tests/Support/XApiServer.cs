using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Tests.Support;

/// <summary>What a fake X user's timeline does instead of answering normally.</summary>
public enum XFault { None, ServerError, RequestTimeout, MalformedJson, EmptyBody, PostWithoutId, Slow, TooManyRequests, Suspended, UsageCap }

/// <summary>One user the fake X API knows: its profile and its posts (the `data` objects), newest first.</summary>
public sealed class XFakeUser
{
    public required string Id { get; init; }
    public required string Username { get; set; }
    public string Name { get; set; } = "";
    public string ProfileImageUrl { get; set; } = "";
    public List<JsonObject> Tweets { get; } = [];
    public XFault Fault { get; set; }
    /// <summary>Answer this many timeline requests, then fail with 503 (a crash in the middle of paging).</summary>
    public int? FailAfterRequests { get; set; }
    internal int TimelineRequests;

    public JsonObject ToJson() => new() { ["id"] = Id, ["name"] = Name, ["username"] = Username, ["profile_image_url"] = ProfileImageUrl };
}

/// <summary>
/// A loopback X API v2 speaking the real paths, JSON shapes and headers, as X documents them
/// (https://docs.x.com/x-api/posts/user-posts-timeline-by-user-id): /2/users/by/username/:username,
/// /2/users/:id/tweets (since_id, start_time, max_results, pagination_token, meta.newest_id/next_token) and
/// /2/users?ids=; x-rate-limit-limit/remaining/reset on every response; unknown users as HTTP 200 with an `errors`
/// array. Like X it sends only what was asked for: note_tweet only with tweet.fields=note_tweet, includes.tweets
/// only with expansions=referenced_tweets.id, includes.users only with expansions=author_id (and
/// referenced_tweets.id.author_id); a referenced post it does not have is a partial error in `errors` beside `data`.
/// Text is as X serves it: HTML-escaped (&amp;amp; &amp;lt; &amp;gt;), so a client that forgets to unescape stores "&amp;amp;".
/// </summary>
public sealed class XApiServer : IAsyncDisposable
{
    /// <summary>A token that would be easy to spot if it leaked anywhere.</summary>
    public const string Token = "AAAAAAAAAAAAAAAAAAAAAtestSECRETbearer0token";
    public const string LookupEndpoint = "users/by/username";
    public const string TimelineEndpoint = "users/:id/tweets";
    public const string UsersEndpoint = "users";

    private readonly ConcurrentDictionary<string, XFakeUser> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, XFakeUser> _byId = new();
    private readonly ConcurrentDictionary<string, (int Remaining, long Reset)> _limits = new();
    private readonly List<JsonObject> _otherTweets = [];
    private LoopbackServer _server = null!;

    public string BaseUrl => _server.BaseUrl;
    public IReadOnlyCollection<RecordedRequest> Requests => _server.Requests;
    /// <summary>The largest page the server serves, whatever max_results says; small pages make paging testable.</summary>
    public int PageSize { get; set; } = 100;
    /// <summary>Refuse every pagination token with HTTP 400, as X does with one it does not know.</summary>
    public bool RejectPageTokens { get; set; }
    /// <summary>How long a Slow user's timeline takes.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Reset of a TooManyRequests fault, epoch seconds.</summary>
    public long TooManyRequestsReset { get; set; }

    public static async Task<XApiServer> StartAsync()
    {
        var x = new XApiServer();
        x._server = await LoopbackServer.StartAsync(x.HandleAsync);
        return x;
    }

    public static string TestData(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "x", name));

    /// <summary>Adds a user from testdata: user-{name}.json for the profile and, when present, timeline-{name}.json for posts and includes.</summary>
    public XFakeUser AddFromTestData(string name)
    {
        var data = JsonNode.Parse(TestData($"user-{name}.json"))!["data"]!;
        var user = Add(data["id"]!.GetValue<string>(), data["username"]!.GetValue<string>(), data["name"]!.GetValue<string>(), data["profile_image_url"]!.GetValue<string>());
        var timelinePath = Path.Combine(AppContext.BaseDirectory, "testdata", "x", $"timeline-{name}.json");
        if (File.Exists(timelinePath))
        {
            var timeline = JsonNode.Parse(File.ReadAllText(timelinePath))!;
            foreach (var tweet in timeline["data"]!.AsArray()) user.Tweets.Add(tweet!.DeepClone().AsObject());
            foreach (var other in timeline["includes"]?["users"]?.AsArray() ?? [])
                if (other!["id"]!.GetValue<string>() != user.Id && !_byId.ContainsKey(other["id"]!.GetValue<string>()))
                    Add(other["id"]!.GetValue<string>(), other["username"]!.GetValue<string>(), other["name"]!.GetValue<string>(), other["profile_image_url"]!.GetValue<string>());
            lock (_otherTweets)
                foreach (var included in timeline["includes"]?["tweets"]?.AsArray() ?? []) _otherTweets.Add(included!.DeepClone().AsObject());
        }
        return user;
    }

    public XFakeUser Add(string id, string username, string name = "", string avatar = "")
    {
        var user = new XFakeUser { Id = id, Username = username, Name = name, ProfileImageUrl = avatar };
        _byName[username] = user;
        _byId[id] = user;
        return user;
    }

    /// <summary>The user picks a new username; X keeps the id (and answers the old name as not found).</summary>
    public void Rename(XFakeUser user, string username)
    {
        _byName.TryRemove(user.Username, out _);
        user.Username = username;
        _byName[username] = user;
    }

    /// <summary>Adds a post at the top of a user's timeline (the newest).</summary>
    public void Post(XFakeUser user, JsonObject tweet) => user.Tweets.Insert(0, tweet);

    /// <summary>A post as X serves it; <paramref name="text"/> is what the author wrote, escaped here the way X escapes it.</summary>
    public static JsonObject Tweet(string id, string text, DateTimeOffset createdAt, string authorId) => new()
    {
        ["id"] = id,
        ["text"] = Escape(text),
        ["created_at"] = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
        ["author_id"] = authorId,
        ["lang"] = "en",
        ["edit_history_tweet_ids"] = new JsonArray(id),
    };

    /// <summary>X escapes exactly these three characters in post text.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>What the next responses of an endpoint say in x-rate-limit-remaining and x-rate-limit-reset.</summary>
    public void SetRateLimit(string endpoint, int remaining, long resetEpochSeconds) => _limits[endpoint] = (remaining, resetEpochSeconds);

    public int Count(string endpoint) => _server.Requests.Count(r => Endpoint(r.Path) == endpoint);

    public IReadOnlyList<RecordedRequest> Timeline(XFakeUser user) =>
        _server.Requests.Where(r => r.Path == $"/2/users/{user.Id}/tweets").ToList();

    private static string? Endpoint(string path) => path switch
    {
        _ when path.StartsWith("/2/users/by/username/", StringComparison.Ordinal) => LookupEndpoint,
        _ when path.StartsWith("/2/users/", StringComparison.Ordinal) && path.EndsWith("/tweets", StringComparison.Ordinal) => TimelineEndpoint,
        "/2/users" => UsersEndpoint,
        _ => null,
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var endpoint = Endpoint(path);
        var (remaining, reset) = endpoint is not null && _limits.TryGetValue(endpoint, out var limit)
            ? limit : (899, DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds());
        context.Response.Headers["x-rate-limit-limit"] = "900";
        context.Response.Headers["x-rate-limit-remaining"] = remaining.ToString();
        context.Response.Headers["x-rate-limit-reset"] = reset.ToString();

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            await Json(context, 401, TestData("unauthorized.json"));
            return;
        }
        switch (endpoint)
        {
            case LookupEndpoint:
                var name = Uri.UnescapeDataString(path["/2/users/by/username/".Length..]);
                if (_byName.TryGetValue(name, out var found) && found.Fault != XFault.Suspended)
                    await Json(context, 200, new JsonObject { ["data"] = found.ToJson() }.ToJsonString());
                else
                    await Json(context, 200, TestData(found is null ? "user-not-found.json" : "user-suspended.json").Replace(found is null ? "nosuchagency" : "suspendedagency", name));
                return;
            case UsersEndpoint:
                var ids = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                var users = new JsonArray(ids.Where(_byId.ContainsKey).Select(id => (JsonNode)_byId[id].ToJson()).ToArray());
                await Json(context, 200, new JsonObject { ["data"] = users }.ToJsonString());
                return;
            case TimelineEndpoint:
                await TimelineAsync(context, path.Split('/')[3]);
                return;
            default:
                await Json(context, 404, """{"title":"Not Found","type":"about:blank","status":404,"detail":"Not Found"}""");
                return;
        }
    }

    private async Task TimelineAsync(HttpContext context, string id)
    {
        if (!_byId.TryGetValue(id, out var user))
        {
            await Json(context, 200, $$"""{"errors":[{"value":"{{id}}","detail":"Could not find user with id: [{{id}}].","title":"Not Found Error","resource_type":"user","parameter":"id","resource_id":"{{id}}","type":"https://api.twitter.com/2/problems/resource-not-found"}]}""");
            return;
        }
        var fault = Interlocked.Increment(ref user.TimelineRequests) > user.FailAfterRequests ? XFault.ServerError : user.Fault;
        switch (fault)
        {
            case XFault.ServerError:
                await Json(context, 503, """{"title":"Service Unavailable","type":"about:blank","status":503,"detail":"Service Unavailable"}""");
                return;
            case XFault.RequestTimeout:
                await Json(context, 408, """{"title":"Request Timeout","type":"about:blank","status":408,"detail":"Request Timeout"}""");
                return;
            case XFault.MalformedJson:
                await Json(context, 200, """{"data":[{"id":"1995","text":"cut off""");
                return;
            case XFault.PostWithoutId:
                await Json(context, 200, """{"data":[{"text":"no id here","created_at":"2026-11-30T10:00:00.000Z"}],"meta":{"result_count":1}}""");
                return;
            case XFault.EmptyBody:
                context.Response.StatusCode = 200;
                return;
            case XFault.Slow:
                try { await Task.Delay(SlowDelay, context.RequestAborted); } catch (OperationCanceledException) { }
                return;
            case XFault.TooManyRequests:
                context.Response.Headers["x-rate-limit-remaining"] = "0";
                context.Response.Headers["x-rate-limit-reset"] = TooManyRequestsReset.ToString();
                await Json(context, 429, TestData("too-many-requests.json"));
                return;
            case XFault.UsageCap:
                // X's usage cap: a 429 whose rate-limit headers still show room; the body says what it is.
                context.Response.Headers["x-rate-limit-limit"] = "1500";
                context.Response.Headers["x-rate-limit-remaining"] = "1499";
                await Json(context, 429, TestData("usage-capped.json"));
                return;
            case XFault.Suspended:
                await Json(context, 200, $$"""{"errors":[{"parameter":"id","resource_id":"{{id}}","value":"{{id}}","detail":"User has been suspended: [{{id}}].","title":"Forbidden","resource_type":"user","type":"https://api.twitter.com/2/problems/resource-not-found"}]}""");
                return;
        }

        var query = context.Request.Query;
        IEnumerable<JsonObject> matching = user.Tweets.ToList();
        if (query["since_id"].ToString() is { Length: > 0 } since) matching = matching.Where(t => Newer(t["id"]!.GetValue<string>(), since));
        if (query["start_time"].ToString() is { Length: > 0 } start)
            matching = matching.Where(t => DateTimeOffset.Parse(t["created_at"]!.GetValue<string>()) >= DateTimeOffset.Parse(start));
        var all = matching.ToList();
        var offset = 0;
        if (query["pagination_token"].ToString() is { Length: > 0 } token && (RejectPageTokens || (offset = OffsetOf(token)) < 0))
        {
            await Json(context, 400, $$"""{"errors":[{"parameters":{"pagination_token":["{{token}}"]},"message":"The `pagination_token` query parameter value [{{token}}] is not valid"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}""");
            return;
        }
        var size = Math.Min(PageSize, int.TryParse(query["max_results"], out var max) ? max : 10);
        var page = all.Skip(offset).Take(size).ToList();
        if (page.Count == 0)
        {
            await Json(context, 200, TestData("empty-timeline.json"));
            return;
        }

        var fields = query["tweet.fields"].ToString().Split(',');
        var expansions = query["expansions"].ToString().Split(',');
        var includedTweets = new JsonArray();
        var includedUsers = expansions.Contains("author_id") ? new JsonArray(user.ToJson()) : new JsonArray();
        var errors = new JsonArray();
        foreach (var tweet in page)
            foreach (var reference in tweet["referenced_tweets"]?.AsArray() ?? [])
            {
                if (!expansions.Contains("referenced_tweets.id")) break;
                var refId = reference!["id"]!.GetValue<string>();
                JsonObject? referenced;
                lock (_otherTweets) referenced = _otherTweets.FirstOrDefault(t => t["id"]!.GetValue<string>() == refId);
                if (includedTweets.Any(t => t!["id"]!.GetValue<string>() == refId)) continue;
                if (referenced is null)
                {
                    // A deleted or protected post referenced by one of the page's: X answers 200, with the page, and says so.
                    if (!errors.Any(e => e!["resource_id"]!.GetValue<string>() == refId))
                        errors.Add(JsonNode.Parse($$"""{"value":"{{refId}}","detail":"Could not find tweet with referenced_tweets.id: [{{refId}}].","title":"Not Found Error","resource_type":"tweet","parameter":"referenced_tweets.id","resource_id":"{{refId}}","type":"https://api.twitter.com/2/problems/resource-not-found"}"""));
                    continue;
                }
                includedTweets.Add(Served(referenced, fields));
                var authorId = referenced["author_id"]?.GetValue<string>();
                if (expansions.Contains("referenced_tweets.id.author_id") && authorId is not null && _byId.TryGetValue(authorId, out var author)
                    && !includedUsers.Any(u => u!["id"]!.GetValue<string>() == authorId))
                    includedUsers.Add(author.ToJson());
            }
        var meta = new JsonObject
        {
            ["result_count"] = page.Count,
            ["newest_id"] = page[0]["id"]!.GetValue<string>(),
            ["oldest_id"] = page[^1]["id"]!.GetValue<string>(),
        };
        if (offset + page.Count < all.Count) meta["next_token"] = TokenOf(offset + page.Count);
        var includes = new JsonObject();
        if (includedUsers.Count > 0) includes["users"] = includedUsers;
        if (includedTweets.Count > 0) includes["tweets"] = includedTweets;
        var body = new JsonObject { ["data"] = new JsonArray(page.Select(t => Served(t, fields)).ToArray()) };
        if (includes.Count > 0) body["includes"] = includes;
        if (errors.Count > 0) body["errors"] = errors;
        body["meta"] = meta;
        await Json(context, 200, body.ToJsonString());
    }

    /// <summary>A post with only the fields asked for: note_tweet is an opt-in field.</summary>
    private static JsonNode Served(JsonObject tweet, string[] fields)
    {
        var copy = tweet.DeepClone().AsObject();
        if (!fields.Contains("note_tweet")) copy.Remove("note_tweet");
        return copy;
    }

    /// <summary>Opaque to the client, like X's: the offset hidden in a token-looking string.</summary>
    private static string TokenOf(int offset) => $"7140dibdnow9c7btw4{offset:x6}yz6jism75z99gyxd8egarsc4";
    private static int OffsetOf(string token) =>
        token.Length == 48 && int.TryParse(token.AsSpan(18, 6), System.Globalization.NumberStyles.HexNumber, null, out var offset) ? offset : -1;

    private static bool Newer(string id, string than) => id.Length != than.Length ? id.Length > than.Length : string.CompareOrdinal(id, than) > 0;

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
