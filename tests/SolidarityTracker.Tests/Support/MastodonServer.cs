using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A Mastodon instance on loopback, speaking the real REST shapes: <c>/api/v1/accounts/lookup?acct=</c>
/// (404 <c>{"error":"Record not found"}</c>), <c>/api/v1/accounts/:id</c> and <c>/api/v1/accounts/:id/statuses</c>
/// with <c>limit</c> (default 20, at most 40), <c>max_id</c>, <c>since_id</c> and <c>min_id</c> as the API documents them:
/// newest first; min_id gives the page immediately newer than the id. The <c>Link</c> header carries rel="next"
/// (max_id, only when the page is full) and rel="prev" (min_id) with the instance's public host, as behind a proxy.
/// Every answer has X-RateLimit-Limit/-Remaining/-Reset (ISO 8601). Statuses and accounts are built from the
/// testdata/mastodon templates; a per-account fault lets a test answer a request its own way.
/// </summary>
public sealed class MastodonServer : IAsyncDisposable
{
    /// <summary>The host the instance names in its links (not the loopback address it is reached at).</summary>
    public const string PublicUrl = "https://police.example";

    private readonly object _gate = new();
    private readonly Dictionary<string, FakeAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<HttpContext, Task<bool>>> _faults = new(StringComparer.OrdinalIgnoreCase);
    private LoopbackServer _http = null!;
    private long _sequence;

    public string BaseUrl => _http.BaseUrl;
    public IReadOnlyList<RecordedRequest> Requests => _http.Requests.ToList();
    /// <summary>What X-RateLimit-Remaining says on every answer.</summary>
    public int RateLimitRemaining { get; set; } = 299;
    /// <summary>What X-RateLimit-Reset says: the next five-minute boundary unless a test sets it.</summary>
    public DateTimeOffset? RateLimitReset { get; set; }

    private sealed class FakeAccount
    {
        public required string Id { get; init; }
        public required JsonObject Json { get; init; }
        public List<JsonObject> Statuses { get; } = [];
        public string Username => (string)Json["username"]!;
    }

    public static async Task<MastodonServer> StartAsync()
    {
        var server = new MastodonServer();
        server._http = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    public static string TestData(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "mastodon", name));

    /// <summary>Adds a local account; returns its id.</summary>
    public string AddAccount(string username, string? displayName = null, string? avatar = null)
    {
        var json = JsonNode.Parse(TestData("account.json"))!.AsObject();
        var id = (109384773000000000L + Interlocked.Increment(ref _sequence) * 1000).ToString(CultureInfo.InvariantCulture);
        json["id"] = id;
        json["username"] = username;
        json["acct"] = username;
        json["display_name"] = displayName ?? $"{username} Police";
        json["url"] = $"{PublicUrl}/@{username}";
        json["uri"] = $"{PublicUrl}/users/{username}";
        if (avatar is not null) { json["avatar"] = avatar; json["avatar_static"] = avatar; }
        lock (_gate) _accounts[username] = new FakeAccount { Id = id, Json = json };
        return id;
    }

    public void SetAvatar(string username, string avatar)
    {
        lock (_gate)
        {
            var json = _accounts[username].Json;
            json["avatar"] = avatar;
            json["avatar_static"] = avatar;
        }
    }

    /// <summary>A new public status (HTML content) created at the given time; ids are snowflakes of that time, as Mastodon makes them.</summary>
    public JsonObject Post(string username, string html, DateTimeOffset createdAt, Action<JsonObject>? shape = null)
    {
        var status = JsonNode.Parse(TestData("status.json"))!.AsObject();
        status["content"] = html;
        shape?.Invoke(status);
        return Add(username, status, createdAt);
    }

    /// <summary>The statuses of testdata/mastodon/statuses.json, moved in time so the newest is at <paramref name="newest"/>.</summary>
    public IReadOnlyList<JsonObject> AddSamples(string username, DateTimeOffset newest)
    {
        var samples = JsonNode.Parse(TestData("statuses.json"))!.AsArray().Select(n => n!.AsObject()).ToList();
        var times = samples.Select(s => DateTimeOffset.Parse((string)s["created_at"]!, CultureInfo.InvariantCulture)).ToList();
        var shift = newest - times.Max();
        return samples.Select((s, i) =>
        {
            if (s["reblog"] is JsonObject reblog)
                reblog["created_at"] = Iso(DateTimeOffset.Parse((string)reblog["created_at"]!, CultureInfo.InvariantCulture) + shift);
            return Add(username, s, times[i] + shift);
        }).ToList();
    }

    private JsonObject Add(string username, JsonObject status, DateTimeOffset createdAt)
    {
        lock (_gate)
        {
            var account = _accounts[username];
            var id = ((createdAt.ToUnixTimeMilliseconds() << 16) | (Interlocked.Increment(ref _sequence) & 0xffff)).ToString(CultureInfo.InvariantCulture);
            status["id"] = id;
            status["created_at"] = Iso(createdAt);
            status["uri"] = $"{PublicUrl}/users/{account.Username}/statuses/{id}";
            if (status["reblog"] is null) status["url"] = $"{PublicUrl}/@{account.Username}/{id}";
            else status["uri"] = $"{PublicUrl}/users/{account.Username}/statuses/{id}/activity";
            account.Statuses.Add(status);
            return status;
        }
    }

    /// <summary>Edits a status as Mastodon does: same id, new content, edited_at set.</summary>
    public void Edit(string username, string statusId, string html, DateTimeOffset editedAt)
    {
        lock (_gate)
        {
            var status = _accounts[username].Statuses.Single(s => (string)s["id"]! == statusId);
            status["content"] = html;
            status["edited_at"] = Iso(editedAt);
        }
    }

    /// <summary>Deletes a status as its author would: it is gone from every timeline page.</summary>
    public void Delete(string username, string statusId)
    {
        lock (_gate) _accounts[username].Statuses.RemoveAll(s => (string)s["id"]! == statusId);
    }

    /// <summary>Answers every request about this account (lookup or timeline) with <paramref name="fault"/> while it returns true; null clears it.</summary>
    /// <summary>A moderator suspends the account: Mastodon keeps it, says <c>"suspended": true</c> and serves no statuses.</summary>
    public void Suspend(string username)
    {
        lock (_gate)
        {
            var account = _accounts[username];
            account.Json["suspended"] = true;
            account.Statuses.Clear();
        }
    }

    public void Fault(string username, Func<HttpContext, Task<bool>>? fault)
    {
        lock (_gate)
        {
            if (fault is null) _faults.Remove(username);
            else _faults[username] = fault;
        }
    }

    public static Func<HttpContext, Task<bool>> Always(int status, string body, string contentType = "application/json; charset=utf-8") => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
        return true;
    };

    public int Count(Func<RecordedRequest, bool> predicate) => _http.Count(predicate);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        FakeAccount? account = null;
        string? username = null;
        Func<HttpContext, Task<bool>>? fault = null;
        lock (_gate)
        {
            if (path == "/api/v1/accounts/lookup")
            {
                username = context.Request.Query["acct"].ToString().TrimStart('@').Split('@')[0];
                _accounts.TryGetValue(username, out account);
            }
            else if (segments is ["api", "v1", "accounts", var id, ..])
            {
                account = _accounts.Values.FirstOrDefault(a => a.Id == id);
                username = account?.Username;
            }
            if (username is not null) _faults.TryGetValue(username, out fault);
        }
        var reset = RateLimitReset ?? NextFiveMinutes(DateTimeOffset.UtcNow);
        context.Response.Headers["X-RateLimit-Limit"] = "300";
        context.Response.Headers["X-RateLimit-Remaining"] = RateLimitRemaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        if (fault is not null && await fault(context)) return;

        if (account is null)
        {
            await Json(context, 404, TestData("not-found.json"));
            return;
        }
        switch (segments)
        {
            case ["api", "v1", "accounts", "lookup"]:
            case ["api", "v1", "accounts", _]:
                await Json(context, 200, Snapshot(account.Json));
                return;
            case ["api", "v1", "accounts", _, "statuses"]:
                await StatusesAsync(context, account);
                return;
            default:
                await Json(context, 404, TestData("not-found.json"));
                return;
        }
    }

    private async Task StatusesAsync(HttpContext context, FakeAccount account)
    {
        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var l) ? Math.Clamp(l, 1, 40) : 20;
        string? maxId = query["max_id"], sinceId = query["since_id"], minId = query["min_id"];
        List<JsonObject> page;
        string accountJson;
        lock (_gate)
        {
            var all = account.Statuses.Where(s => (maxId is null || Compare(Id(s), maxId) < 0) && (sinceId is null || Compare(Id(s), sinceId) > 0));
            page = minId is not null
                ? all.Where(s => Compare(Id(s), minId) > 0).OrderBy(Id, IdOrder).Take(limit).Reverse().ToList()
                : all.OrderByDescending(Id, IdOrder).Take(limit).ToList();
            accountJson = Snapshot(account.Json);
            page = page.Select(s => JsonNode.Parse(s.ToJsonString())!.AsObject()).ToList();
        }
        foreach (var status in page) status["account"] = JsonNode.Parse(accountJson);
        if (page.Count > 0)
        {
            var self = $"{PublicUrl}/api/v1/accounts/{account.Id}/statuses";
            var links = new List<string>();
            if (page.Count == limit) links.Add($"<{self}?limit={limit}&max_id={Id(page[^1])}>; rel=\"next\"");
            links.Add($"<{self}?limit={limit}&min_id={Id(page[0])}>; rel=\"prev\"");
            context.Response.Headers["Link"] = string.Join(", ", links);
        }
        await Json(context, 200, new JsonArray(page.Select(p => (JsonNode)p).ToArray()).ToJsonString());
    }

    private static string Snapshot(JsonObject json) => json.ToJsonString();

    private static async Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }

    private static string Id(JsonObject status) => (string)status["id"]!;

    private static int Compare(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    private static readonly IComparer<string> IdOrder = Comparer<string>.Create(Compare);

    private static DateTimeOffset NextFiveMinutes(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute / 5 * 5, 0, TimeSpan.Zero).AddMinutes(5);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _http.DisposeAsync();
}
