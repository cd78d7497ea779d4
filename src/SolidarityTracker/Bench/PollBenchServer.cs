using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Bench;

/// <summary>
/// The in-process loopback server of `bench poll`: Kestrel on 127.0.0.1 answering every platform's real paths
/// and shapes after a fixed added latency. Account i has <see cref="PostsPerAccount"/> posts on every platform;
/// a poll that says what it already has gets nothing new (X meta.result_count 0, Mastodon [], RSS 304,
/// Bluesky the same feed, whose newest post the client already knows). Requests are counted per platform.
/// </summary>
public sealed class PollBenchServer : IAsyncDisposable
{
    public const int PostsPerAccount = 20;
    public const string MastodonHost = "bench.example";
    private const string BaseTweetId = "1995";
    private static readonly string[] Texts =
    [
        "Our deepest condolences to the families of the officers killed in the line of duty. We stand with you.",
        "Our badges are shrouded with a black mourning band in honor of the fallen officers. #EndOfWatch",
        "Please stay vigilant. If you see something suspicious, call 911 and report it right away.",
        "Road closures downtown Saturday for the funeral procession. Please plan your route and be patient.",
        "Join us at the community safety fair this weekend at the civic center, 10 a.m. to 2 p.m.",
        "We are hiring! Apply today to join our department and serve the community.",
        "Rest easy, brothers. We have the watch from here. Thoughts and prayers to the department and the city.",
        "Reminder: lock your car and take your valuables with you. Most vehicle break-ins are preventable.",
    ];

    private readonly WebApplication _app;
    private readonly TimeSpan _latency;
    private readonly DateTimeOffset _now;
    private long _x, _mastodon, _bluesky, _rss, _raw, _other;

    public string BaseUrl { get; }
    public long XRequests => Interlocked.Read(ref _x);
    public long MastodonRequests => Interlocked.Read(ref _mastodon);
    public long BlueskyRequests => Interlocked.Read(ref _bluesky);
    public long RssRequests => Interlocked.Read(ref _rss);
    public long RawRequests => Interlocked.Read(ref _raw);
    public long PlatformRequests => XRequests + MastodonRequests + BlueskyRequests + RssRequests + Interlocked.Read(ref _other);

    private PollBenchServer(WebApplication app, string baseUrl, TimeSpan latency, DateTimeOffset now)
    {
        _app = app;
        BaseUrl = baseUrl;
        _latency = latency;
        _now = now;
    }

    public static async Task<PollBenchServer> StartAsync(TimeSpan latency, DateTimeOffset now)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        PollBenchServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        server = new PollBenchServer(app, app.Urls.First().TrimEnd('/'), latency, now);
        return server;
    }

    public static string XHandle(int i) => $"benchx{i}";
    public static string MastodonHandle(int i) => $"agency{i}@{MastodonHost}";
    public static string BlueskyHandle(int i) => $"agency{i}.bsky.social";
    public string RssUrl(int i) => $"{BaseUrl}/rss/agency{i}.xml";

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/2/", StringComparison.Ordinal)) Interlocked.Increment(ref _x);
        else if (path.StartsWith("/api/v1/", StringComparison.Ordinal)) Interlocked.Increment(ref _mastodon);
        else if (path.StartsWith("/xrpc/", StringComparison.Ordinal)) Interlocked.Increment(ref _bluesky);
        else if (path.StartsWith("/rss/", StringComparison.Ordinal)) Interlocked.Increment(ref _rss);
        else if (path == "/raw") Interlocked.Increment(ref _raw);
        else Interlocked.Increment(ref _other);
        await Task.Delay(_latency);
        if (path == "/raw") { await Write(context, 200, "application/json", """{"ok":true}"""); return; }
        if (path.StartsWith("/2/", StringComparison.Ordinal)) { await XAsync(context, path); return; }
        if (path.StartsWith("/api/v1/", StringComparison.Ordinal)) { await MastodonAsync(context, path); return; }
        if (path.StartsWith("/xrpc/", StringComparison.Ordinal)) { await BlueskyAsync(context, path); return; }
        if (path.StartsWith("/rss/", StringComparison.Ordinal)) { await RssAsync(context, path); return; }
        await Write(context, 404, "application/json", """{"error":"not found"}""");
    }

    private DateTimeOffset CreatedAt(int k) => _now.AddHours(-3 * k - 1); // within a three-day back-fill
    private static string Text(int i, int k) => Texts[(i + k) % Texts.Length];
    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    private static string J(string s) => JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(s);

    private static int IndexOf(string value, string prefix, string suffix = "")
    {
        var core = value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? value[prefix.Length..] : "";
        if (suffix.Length > 0 && core.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) core = core[..^suffix.Length];
        return int.TryParse(core, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1;
    }

    // ---- X API v2 ------------------------------------------------------------------------------------------

    private static string XUserId(int i) => (3_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
    // 19-digit ids (beyond 2^53); post k = 0 is the newest.
    private static string TweetId(int i, int k) => $"{BaseTweetId}{i:D9}{PostsPerAccount - k:D6}";

    private string XUser(int i) =>
        $$"""{"id":"{{XUserId(i)}}","name":"Bench Police Department {{i}}","username":"{{XHandle(i)}}","profile_image_url":"https://pbs.twimg.com/profile_images/{{i}}/badge_normal.jpg"}""";

    private Task XAsync(HttpContext context, string path)
    {
        var headers = context.Response.Headers;
        headers["x-rate-limit-limit"] = "1000000";
        headers["x-rate-limit-remaining"] = "999999";
        headers["x-rate-limit-reset"] = _now.AddMinutes(15).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (path.StartsWith("/2/users/by/username/", StringComparison.Ordinal))
        {
            var i = IndexOf(path["/2/users/by/username/".Length..], "benchx");
            return i < 0
                ? Write(context, 200, "application/json", $$"""{"errors":[{"value":"{{J(path)}}","detail":"Could not find user.","title":"Not Found Error","resource_type":"user","parameter":"username","type":"https://api.twitter.com/2/problems/resource-not-found"}]}""")
                : Write(context, 200, "application/json", "{\"data\":" + XUser(i) + "}");
        }
        if (path.EndsWith("/tweets", StringComparison.Ordinal))
        {
            var i = (int)(long.Parse(path.Split('/')[3], CultureInfo.InvariantCulture) - 3_000_000_000L);
            var since = context.Request.Query["since_id"].ToString();
            if (since.Length > 0 && string.CompareOrdinal(since, TweetId(i, 0)) >= 0)
                return Write(context, 200, "application/json", """{"meta":{"result_count":0}}""");
            var sb = new StringBuilder(8192).Append("""{"data":[""");
            for (var k = 0; k < PostsPerAccount; k++)
            {
                if (k > 0) sb.Append(',');
                var id = TweetId(i, k);
                sb.Append($$"""{"id":"{{id}}","text":"{{J(Text(i, k))}}","created_at":"{{Iso(CreatedAt(k))}}","author_id":"{{XUserId(i)}}","lang":"en","edit_history_tweet_ids":["{{id}}"],"entities":{"hashtags":[{"start":0,"end":5,"tag":"Bench"}]}""").Append('}');
            }
            sb.Append($$"""],"includes":{"users":[{{XUser(i)}}]},"meta":{"result_count":{{PostsPerAccount}},"newest_id":"{{TweetId(i, 0)}}","oldest_id":"{{TweetId(i, PostsPerAccount - 1)}}"}""").Append('}');
            return Write(context, 200, "application/json", sb.ToString());
        }
        if (path == "/2/users")
        {
            var users = context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(id => XUser((int)(long.Parse(id, CultureInfo.InvariantCulture) - 3_000_000_000L)));
            return Write(context, 200, "application/json", $$"""{"data":[{{string.Join(',', users)}}]}""");
        }
        return Write(context, 404, "application/json", """{"title":"Not Found","type":"about:blank","status":404,"detail":"Not Found"}""");
    }

    // ---- Mastodon REST ---------------------------------------------------------------------------------------

    private static long StatusId(int i, int k) => 110_000_000_000_000_000L + (long)i * 1000 + (PostsPerAccount - k);

    private string MastodonAccount(int i) =>
        $$"""{"id":"{{100000 + i}}","username":"agency{{i}}","acct":"agency{{i}}","display_name":"Bench Police Department {{i}}","locked":false,"bot":false,"discoverable":true,"group":false,"created_at":"2016-07-07T00:00:00.000Z","note":"<p>Official account of Bench Police Department {{i}}.</p>","url":"https://{{MastodonHost}}/@agency{{i}}","uri":"https://{{MastodonHost}}/users/agency{{i}}","avatar":"https://{{MastodonHost}}/system/accounts/avatars/{{i}}/original/badge.png","avatar_static":"https://{{MastodonHost}}/system/accounts/avatars/{{i}}/original/badge.png","header":"https://{{MastodonHost}}/headers/original/missing.png","header_static":"https://{{MastodonHost}}/headers/original/missing.png","followers_count":1200,"following_count":40,"statuses_count":{{PostsPerAccount}},"last_status_at":"{{_now.UtcDateTime:yyyy-MM-dd}}","emojis":[],"fields":[]}""";

    private Task MastodonAsync(HttpContext context, string path)
    {
        if (path == "/api/v1/accounts/lookup")
        {
            var acct = context.Request.Query["acct"].ToString().TrimStart('@');
            var i = IndexOf(acct.Split('@')[0], "agency");
            return i < 0
                ? Write(context, 404, "application/json", """{"error":"Record not found"}""")
                : Write(context, 200, "application/json", MastodonAccount(i));
        }
        var parts = path.Split('/');
        if (parts.Length == 6 && parts[3] == "accounts" && parts[5] == "statuses" && long.TryParse(parts[4], out var accountId))
        {
            var i = (int)(accountId - 100000);
            var q = context.Request.Query;
            long? Param(string name) => long.TryParse(q[name], out var v) ? v : null;
            var limit = Math.Clamp((int?)Param("limit") ?? 20, 1, 40);
            var (maxId, sinceId, minId) = (Param("max_id"), Param("since_id"), Param("min_id"));
            var ks = Enumerable.Range(0, PostsPerAccount).Where(k =>
                (maxId is null || StatusId(i, k) < maxId) && (sinceId is null || StatusId(i, k) > sinceId) && (minId is null || StatusId(i, k) > minId));
            // min_id pages upward from the given id: the statuses just after it, still served newest first.
            var page = (minId is not null ? ks.Reverse().Take(limit).Reverse() : ks.Take(limit)).ToList();
            if (page.Count > 0)
            {
                var self = $"{BaseUrl}/api/v1/accounts/{accountId}/statuses";
                context.Response.Headers["Link"] = $"<{self}?max_id={StatusId(i, page[^1])}>; rel=\"next\", <{self}?min_id={StatusId(i, page[0])}>; rel=\"prev\"";
            }
            var account = MastodonAccount(i);
            var statuses = page.Select(k =>
            {
                var id = StatusId(i, k);
                return $$"""{"id":"{{id}}","created_at":"{{Iso(CreatedAt(k))}}","in_reply_to_id":null,"in_reply_to_account_id":null,"sensitive":false,"spoiler_text":"","visibility":"public","language":"en","uri":"https://{{MastodonHost}}/users/agency{{i}}/statuses/{{id}}","url":"https://{{MastodonHost}}/@agency{{i}}/{{id}}","replies_count":0,"reblogs_count":3,"favourites_count":12,"edited_at":null,"content":"<p>{{J(System.Net.WebUtility.HtmlEncode(Text(i, k)))}}</p>","reblog":null,"application":null,"account":{{account}},"media_attachments":[],"mentions":[],"tags":[],"emojis":[],"card":null,"poll":null}""";
            });
            return Write(context, 200, "application/json", "[" + string.Join(',', statuses) + "]");
        }
        return Write(context, 404, "application/json", """{"error":"Record not found"}""");
    }

    // ---- Bluesky AppView XRPC ------------------------------------------------------------------------------

    private static string Did(int i) => $"did:plc:bench{i:D19}";
    private const string TidAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

    /// <summary>A record key as Bluesky makes them: a TID, 13 base32-sortable characters of microseconds and a clock id.</summary>
    private static string Tid(DateTimeOffset at, int clock)
    {
        var value = ((ulong)(at.ToUnixTimeMilliseconds() * 1000) << 10) | (uint)(clock & 1023);
        var chars = new char[13];
        for (var c = 12; c >= 0; c--) { chars[c] = TidAlphabet[(int)(value & 31)]; value >>= 5; }
        return new string(chars);
    }

    private string BlueskyProfile(int i, bool detailed) =>
        $$"""{"did":"{{Did(i)}}","handle":"{{BlueskyHandle(i)}}","displayName":"Bench Police Department {{i}}","avatar":"https://cdn.bsky.app/img/avatar/plain/{{Did(i)}}/bafkreibench{{i}}@jpeg","associated":{"lists":0,"feedgens":0,"starterPacks":0,"labeler":false},"labels":[],"createdAt":"2023-05-01T00:00:00.000Z"{{(detailed ? $$""","description":"Official account of Bench Police Department {{i}}.","indexedAt":"2024-01-01T00:00:00.000Z","followersCount":800,"followsCount":20,"postsCount":{{PostsPerAccount}}""" : "")}}}""";

    private Task BlueskyAsync(HttpContext context, string path)
    {
        var q = context.Request.Query;
        int Actor(string value) => value.StartsWith("did:plc:bench", StringComparison.Ordinal)
            ? int.Parse(value["did:plc:bench".Length..], CultureInfo.InvariantCulture)
            : IndexOf(value, "agency", ".bsky.social");
        var notFound = """{"error":"InvalidRequest","message":"Profile not found"}""";
        switch (path)
        {
            case "/xrpc/app.bsky.actor.getProfile":
            {
                var i = Actor(q["actor"].ToString());
                return i < 0 ? Write(context, 400, "application/json", notFound) : Write(context, 200, "application/json", BlueskyProfile(i, detailed: true));
            }
            case "/xrpc/app.bsky.actor.getProfiles":
            {
                var profiles = q["actors"].Select(a => Actor(a ?? "")).Where(i => i >= 0).Select(i => BlueskyProfile(i, detailed: true));
                return Write(context, 200, "application/json", $$"""{"profiles":[{{string.Join(',', profiles)}}]}""");
            }
            case "/xrpc/app.bsky.feed.getAuthorFeed":
            {
                var i = Actor(q["actor"].ToString());
                if (i < 0) return Write(context, 400, "application/json", notFound);
                var limit = Math.Clamp(int.TryParse(q["limit"], out var l) ? l : 50, 1, 100);
                var offset = int.TryParse(q["cursor"].ToString().Split(':').LastOrDefault(), out var o) ? o : 0;
                var ks = Enumerable.Range(offset, Math.Max(0, Math.Min(limit, PostsPerAccount - offset))).ToList();
                var author = BlueskyProfile(i, detailed: false);
                var items = ks.Select(k =>
                {
                    var at = CreatedAt(k);
                    var rkey = Tid(at, i);
                    return $$"""{"post":{"uri":"at://{{Did(i)}}/app.bsky.feed.post/{{rkey}}","cid":"bafyreibench{{i}}x{{k}}","author":{{author}},"record":{"$type":"app.bsky.feed.post","createdAt":"{{Iso(at)}}","langs":["en"],"text":"{{J(Text(i, k))}}"},"replyCount":0,"repostCount":2,"likeCount":9,"quoteCount":0,"indexedAt":"{{Iso(at)}}","labels":[]}""" + "}";
                });
                var cursor = offset + ks.Count < PostsPerAccount && ks.Count > 0 ? $$""","cursor":"{{Iso(CreatedAt(ks[^1]))}}:{{offset + ks.Count}}" """.TrimEnd() : "";
                return Write(context, 200, "application/json", $$"""{"feed":[{{string.Join(',', items)}}]{{cursor}}}""");
            }
        }
        return Write(context, 501, "application/json", """{"error":"MethodNotImplemented","message":"Method Not Implemented"}""");
    }

    // ---- RSS 2.0 with conditional GET -------------------------------------------------------------------

    private Task RssAsync(HttpContext context, string path)
    {
        var i = IndexOf(path["/rss/".Length..], "agency", ".xml");
        if (i < 0) return Write(context, 404, "text/plain", "not found");
        var etag = $"\"bench-{i}-v1\"";
        var lastModified = CreatedAt(0).UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        var request = context.Request.Headers;
        var notModified = request.IfNoneMatch.Count > 0
            ? request.IfNoneMatch.ToString().Split(',').Any(t => t.Trim() == etag || t.Trim() == "*")
            : DateTimeOffset.TryParse(request.IfModifiedSince.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) && since >= CreatedAt(0).AddSeconds(-1);
        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = lastModified;
        if (notModified)
        {
            context.Response.StatusCode = 304;
            return Task.CompletedTask;
        }
        var sb = new StringBuilder(8192);
        sb.Append($"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Bench Police Department {i} News</title><link>{BaseUrl}/news/{i}</link><description>News releases of Bench Police Department {i}</description><language>en-us</language><lastBuildDate>{lastModified}</lastBuildDate><atom:link href="{RssUrl(i)}" rel="self" type="application/rss+xml"/>""");
        for (var k = 0; k < PostsPerAccount; k++)
        {
            var link = $"{BaseUrl}/news/{i}/{PostsPerAccount - k}";
            var text = System.Security.SecurityElement.Escape(Text(i, k));
            sb.Append($"""<item><title>{text[..Math.Min(60, text.Length)]}</title><link>{link}</link><guid isPermaLink="true">{link}</guid><pubDate>{CreatedAt(k).UtcDateTime.ToString("R", CultureInfo.InvariantCulture)}</pubDate><description>{text}</description></item>""");
        }
        sb.Append("</channel></rss>");
        return Write(context, 200, "application/rss+xml; charset=utf-8", sb.ToString());
    }

    private static Task Write(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
