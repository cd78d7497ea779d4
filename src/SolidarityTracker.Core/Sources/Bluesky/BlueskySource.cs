using System.Text.RegularExpressions;

namespace SolidarityTracker.Sources.Bluesky;

/// <summary>
/// Public posts of a Bluesky account through the public AppView (Sources:Bluesky:BaseUrl), no authentication.
/// <c>app.bsky.actor.getProfiles</c> resolves the handle to its DID once (kept as the external id), for up to 25
/// accounts polled at about the same time in one request (<see cref="ProfileBatch{TProfile}"/>);
/// <c>app.bsky.feed.getAuthorFeed</c> is read from the top, page by page, until the newest item already stored
/// (or, on the first poll, the back-fill horizon). An idle account costs one request.
/// </summary>
/// <remarks>
/// Keys: a post's id is its AT URI (<c>at://did/app.bsky.feed.post/rkey</c>). A repost shows someone else's post
/// in the agency's feed; its id is <c>repost:{post uri}:{reposter DID}</c>, so the agency's repost and the
/// author's own post are two rows, and one account reposting the same post stays one row.
/// Order: the feed is newest first by the item's time (a repost's indexedAt; for a post the earlier of
/// record.createdAt and indexedAt, as the AppView sorts). A pinned post may stand on top whatever its age; it is
/// recognised by its reasonPin, or by being older than the item after it, and never stops the walk nor becomes
/// the stop mark.
/// </remarks>
public sealed partial class BlueskySource(IHttpClientFactory httpClients, TrackerSettings settings, TimeProvider time, ILogger<BlueskySource> logger) : ISource
{
    public const int PageSize = 50;
    /// <summary>A bound on one poll; the cursor keeps the place, so the next poll goes on.</summary>
    public const int MaxPagesPerPoll = 100;

    private const string RepostReason = "app.bsky.feed.defs#reasonRepost";
    private const string PinReason = "app.bsky.feed.defs#reasonPin";

    /// <summary>app.bsky.actor.getProfiles takes at most 25 actors a call.</summary>
    public const int MaxActorsPerProfiles = 25;

    private readonly SourceHttp _http = new(httpClients, time);
    // A failed batch is asked again actor by actor, so one account's broken or slow profile stays its own; the
    // platform's rate limit is everyone's.
    private readonly ProfileBatch<Actor> _profiles = new(time, MaxActorsPerProfiles, TimeSpan.FromMilliseconds(300),
        askAloneAfter: ex => ex is not SourceException { Kind: SourceErrorKind.RateLimited or SourceErrorKind.Unauthorized });

    public string Platform => Platforms.Bluesky;

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var baseUrl = new Uri(settings.Sources.Bluesky.BaseUrl, UriKind.Absolute);
        var state = CursorJson.Stored(account, BlueskyCursor.Parse, logger);

        var requests = 0;
        ProfileSnapshot? profile = null;
        var profileSeen = false;
        var did = account.ExternalId;
        if (did is null)
        {
            var (found, asked) = await ProfileAsync(baseUrl, account.Handle, account.Handle, cancellationToken);
            requests += asked;
            did = found.Did;
            // Stored at once, so a poll cut short after this (a broken feed, a spent rate limit) never repeats it.
            yield return new SourcePage([], null, requests, ProfileOf(found.Profile, context.Now), did);
            requests = 0;
            profileSeen = true;
        }

        var known = state?.Newest;
        var resuming = state is { IsResuming: true };
        var pending = resuming ? state!.Pending : null;
        var feedCursor = resuming ? state!.Resume : null;
        var firstPage = !resuming;
        // Once per Polling:ProfileInterval the first page is read whole, past the stored mark: it lists every item of
        // the account down to its oldest one, so a stored post of that window the page lacks was deleted (or un-reposted).
        var listing = context.ProfileDue && firstPage && known is not null;
        var what = $"feed of {account.Handle}";
        for (var pageNumber = 0; ; pageNumber++)
        {
            var path = $"/xrpc/app.bsky.feed.getAuthorFeed?actor={Uri.EscapeDataString(did)}&limit={PageSize}"
                + (feedCursor is null ? "" : $"&cursor={Uri.EscapeDataString(feedCursor)}");
            using var page = await GetAsync(baseUrl, path, what, cancellationToken);
            requests++;
            if (!page.RootElement.TryGetProperty("feed", out var feedElement) || feedElement.ValueKind != JsonValueKind.Array)
                throw new SourceException(SourceErrorKind.Malformed, $"{what}: malformed response (no \"feed\" array)");
            var items = feedElement.EnumerateArray().Select(item => Item.Of(item, did, context.Now)).ToList();
            var nextCursor = page.RootElement.TryGetProperty("cursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;

            var posts = new List<Post>();
            var reachedKnown = false;
            DateTimeOffset? oldestListed = null;
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var pinned = item.IsPin || (firstPage && i == 0 && items.Count > 1 && item.SortAt < items[1].SortAt);
                if (pinned)
                {
                    if (item.SortAt >= context.BackfillFrom) posts.Add(ToPost(item, account, context.Now));
                    continue;
                }
                if (firstPage && pending is null) pending = new BlueskyMark(item.Key, item.SortAt);
                reachedKnown |= known is not null ? item.Key == known.Key || item.SortAt < known.At : item.SortAt < context.BackfillFrom;
                if (reachedKnown && !listing) break;
                // Past the mark, the listing stores nothing older than the back-fill horizon.
                if (reachedKnown && item.SortAt < context.BackfillFrom) continue;
                posts.Add(ToPost(item, account, context.Now));
                oldestListed = item.SortAt;
            }
            var listedSince = listing && oldestListed is { } oldest ? oldest + SourcePage.ListingMargin : (DateTimeOffset?)null;
            if (context.ProfileDue && !profileSeen && profile is null)
                profile = items.Where(i => !i.IsRepost && i.AuthorDid == did).Select(i => i.AuthorProfile(context.Now)).FirstOrDefault();
            if (context.ProfileDue && !profileSeen && profile is null && firstPage)
            {
                var (found, asked) = await ProfileAsync(baseUrl, did, account.Handle, cancellationToken);
                requests += asked;
                profile = ProfileOf(found.Profile, context.Now);
            }

            var last = reachedKnown || items.Count == 0 || string.IsNullOrEmpty(nextCursor) || nextCursor == feedCursor;
            var stoppedEarly = !last && pageNumber + 1 >= MaxPagesPerPoll;
            BlueskyCursor? cursor = last
                ? (pending ?? known) is { } newest ? new BlueskyCursor(Newest: newest) : null
                : pending is null ? null : new BlueskyCursor(Newest: known, Pending: pending, Resume: nextCursor);
            yield return new SourcePage(posts, cursor?.ToJson(), requests, profile, ListedSince: listedSince);
            if (last || stoppedEarly) yield break;
            requests = 0;
            profile = null;
            profileSeen |= context.ProfileDue;
            firstPage = false;
            // Only the first page is listed: a later page says nothing of the posts above it.
            listing = false;
            feedCursor = nextCursor;
        }
    }

    /// <summary>A feed item (getAuthorFeed's shape, or one the stream builds from its record) as the post it stores, mapped the one way.</summary>
    public static Post PostOf(JsonElement feedItem, AccountState account, string accountDid, DateTimeOffset now) =>
        ToPost(Item.Of(feedItem, accountDid, now), account, now);

    /// <summary>
    /// A repost the stream announced: the reposted post read once from <c>app.bsky.feed.getPosts</c>, stored as the feed
    /// would show it (key <c>repost:{uri}:{reposter}</c>, time of the repost, the reposted post's text). Null when the
    /// AppView no longer has the post.
    /// </summary>
    public async Task<Post?> RepostAsync(AccountState account, string accountDid, string subjectUri, DateTimeOffset repostedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var baseUrl = new Uri(settings.Sources.Bluesky.BaseUrl, UriKind.Absolute);
        using var found = await GetAsync(baseUrl, $"/xrpc/app.bsky.feed.getPosts?uris={Uri.EscapeDataString(subjectUri)}", $"reposted post {subjectUri}", cancellationToken);
        if (!found.RootElement.TryGetProperty("posts", out var views) || views.ValueKind != JsonValueKind.Array)
            throw new SourceException(SourceErrorKind.Malformed, $"reposted post {subjectUri}: malformed response (no \"posts\" array)");
        var view = views.EnumerateArray().FirstOrDefault(v => v.ValueKind == JsonValueKind.Object && SourceJson.String(v, "uri") == subjectUri);
        if (view.ValueKind != JsonValueKind.Object) return null;
        var item = new System.Text.Json.Nodes.JsonObject
        {
            ["post"] = System.Text.Json.Nodes.JsonNode.Parse(view.GetRawText()),
            ["reason"] = new System.Text.Json.Nodes.JsonObject
            {
                ["$type"] = RepostReason,
                ["by"] = new System.Text.Json.Nodes.JsonObject { ["did"] = accountDid, ["handle"] = account.CurrentHandle ?? account.Handle },
                ["indexedAt"] = repostedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            },
        };
        using var parsed = JsonDocument.Parse(item.ToJsonString());
        return PostOf(parsed.RootElement, account, accountDid, now);
    }

    private static Post ToPost(Item item, AccountState account, DateTimeOffset now) => new()
    {
        Platform = Platforms.Bluesky,
        PostId = item.Key,
        AgencyId = account.AgencyId,
        Account = account.Handle,
        // A repost happened when the agency reposted; a post when its record says, unless that is unreadable or ahead of us.
        CreatedAt = item.IsRepost ? item.SortAt : item.CreatedAt is { } created && created <= now ? created : item.IndexedAt,
        Url = item.WebUrl,
        Text = item.Text,
        IsRepost = item.IsRepost,
        IsReply = item.IsReply,
        Lang = item.Lang,
        RawJson = item.Raw,
    };

    /// <summary>One feed[] entry, read once.</summary>
    private sealed record Item(
        string Key, string Uri, DateTimeOffset SortAt, DateTimeOffset IndexedAt, DateTimeOffset? CreatedAt,
        bool IsRepost, bool IsPin, bool IsReply, string Text, string? Lang, string? WebUrl, string? AuthorDid, JsonElement Author, string Raw)
    {
        public ProfileSnapshot AuthorProfile(DateTimeOffset now) => ProfileOf(Author, now);

        public static Item Of(JsonElement item, string accountDid, DateTimeOffset now)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("post", out var post) || post.ValueKind != JsonValueKind.Object)
                throw new SourceException(SourceErrorKind.Malformed, "malformed response: a feed item without \"post\"");
            var uri = SourceJson.Required(post, "uri", "post");
            var indexedAt = SourceJson.Time(post, "indexedAt") ?? throw new SourceException(SourceErrorKind.Malformed, $"malformed response: post {uri} without a valid indexedAt");
            var record = post.TryGetProperty("record", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            var createdAt = record.ValueKind == JsonValueKind.Object ? SourceJson.Time(record, "createdAt") : null;
            var author = post.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            var reason = item.TryGetProperty("reason", out var re) && re.ValueKind == JsonValueKind.Object ? re : default;
            var reasonType = reason.ValueKind == JsonValueKind.Object ? SourceJson.String(reason, "$type") : null;
            var isRepost = reasonType == RepostReason;
            var isPin = reasonType == PinReason;
            var key = uri;
            var sortAt = createdAt is { } ca && ca < indexedAt ? ca : indexedAt;
            if (isRepost)
            {
                var by = reason.TryGetProperty("by", out var b) && b.ValueKind == JsonValueKind.Object ? SourceJson.String(b, "did") : null;
                key = $"repost:{uri}:{by ?? accountDid}";
                sortAt = SourceJson.Time(reason, "indexedAt") ?? indexedAt;
            }
            var isReply = (item.TryGetProperty("reply", out var reply) && reply.ValueKind == JsonValueKind.Object)
                || (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("reply", out var rr) && rr.ValueKind == JsonValueKind.Object);
            var text = record.ValueKind == JsonValueKind.Object ? ExpandLinks(SourceJson.String(record, "text") ?? "", record) : "";
            var lang = record.ValueKind == JsonValueKind.Object && record.TryGetProperty("langs", out var langs) && langs.ValueKind == JsonValueKind.Array
                ? langs.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()).FirstOrDefault()
                : null;
            var authorDid = author.ValueKind == JsonValueKind.Object ? SourceJson.String(author, "did") : null;
            var authorHandle = author.ValueKind == JsonValueKind.Object ? SourceJson.String(author, "handle") : null;
            return new Item(key, uri, sortAt, indexedAt, createdAt, isRepost, isPin, isReply, text, lang,
                BlueskySource.WebUrl(uri, authorHandle), authorDid, author, item.GetRawText());
        }
    }

    [GeneratedRegex(@"^at://(?<did>did:[a-z]+:[a-zA-Z0-9._:%-]+)/app\.bsky\.feed\.post/(?<rkey>[a-zA-Z0-9._:~-]{1,512})$")]
    private static partial Regex PostUri();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9.-]{0,252}$")]
    private static partial Regex Handle();

    /// <summary>https://bsky.app/profile/{handle}/post/{rkey}; the DID stands in for an invalid handle.</summary>
    public static string? WebUrl(string uri, string? handle)
    {
        var m = PostUri().Match(uri);
        if (!m.Success) return null;
        var who = handle is not null && handle != "handle.invalid" && Handle().IsMatch(handle) ? handle : m.Groups["did"].Value;
        return $"https://bsky.app/profile/{who}/post/{m.Groups["rkey"].Value}";
    }

    /// <summary>
    /// The record's text shows links shortened ("example.com/memor…"); its link facets hold the full URL over a
    /// UTF-8 byte range. The stored text takes the full http/https URL in place of the shortened one.
    /// </summary>
    public static string ExpandLinks(string text, JsonElement record)
    {
        if (!record.TryGetProperty("facets", out var facets) || facets.ValueKind != JsonValueKind.Array) return text;
        var links = new List<(int Start, int End, string Uri)>();
        foreach (var facet in facets.EnumerateArray())
        {
            if (facet.ValueKind != JsonValueKind.Object || !facet.TryGetProperty("index", out var index) || index.ValueKind != JsonValueKind.Object
                || !facet.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array) continue;
            if (!index.TryGetProperty("byteStart", out var s) || !s.TryGetInt32(out var start) || !index.TryGetProperty("byteEnd", out var e) || !e.TryGetInt32(out var end)) continue;
            var link = features.EnumerateArray()
                .Where(f => f.ValueKind == JsonValueKind.Object && SourceJson.String(f, "$type") == "app.bsky.richtext.facet#link")
                .Select(f => SourceJson.String(f, "uri"))
                .FirstOrDefault(WebLink.IsHttp);
            if (link is not null) links.Add((start, end, link));
        }
        if (links.Count == 0) return text;
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new List<byte>(bytes.Length + 64);
        var at = 0;
        foreach (var (start, end, uri) in links.OrderBy(l => l.Start))
        {
            if (start < at || end > bytes.Length || end <= start) continue; // overlapping or out of range: leave the text as it is
            output.AddRange(bytes.AsSpan(at, start - at).ToArray());
            output.AddRange(Encoding.UTF8.GetBytes(uri));
            at = end;
        }
        output.AddRange(bytes.AsSpan(at).ToArray());
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>A profile view as getProfiles answers it (a copy that outlives its response), with the DID it belongs to.</summary>
    private sealed record Actor(string Did, JsonElement Profile);

    /// <summary>
    /// The profile of <paramref name="actor"/> (a handle or a DID), asked together with the other accounts polled
    /// meanwhile in one app.bsky.actor.getProfiles; whether this caller made the request (and so spent it). The AppView
    /// leaves out an actor it does not know, which is "not found"; an actor that is no handle or DID is refused here,
    /// so it cannot make the whole batch a 400.
    /// </summary>
    private async Task<(Actor Actor, int Requests)> ProfileAsync(Uri baseUrl, string actor, string handle, CancellationToken cancellationToken)
    {
        var what = $"profile of {handle}";
        if (!Handle().IsMatch(actor) && !Did().IsMatch(actor))
            throw new SourceException(SourceErrorKind.NotFound, $"{what}: '{actor}' is not a Bluesky handle or DID");
        var (found, asked) = await _profiles.LookupAsync(actor, async (actors, ct) =>
        {
            var query = string.Join('&', actors.Select(a => "actors=" + Uri.EscapeDataString(a)));
            using var answer = await GetAsync(baseUrl, $"/xrpc/app.bsky.actor.getProfiles?{query}", actors.Count == 1 ? $"profile of {actors[0]}" : $"profiles of {actors.Count} accounts", ct);
            if (!answer.RootElement.TryGetProperty("profiles", out var profiles) || profiles.ValueKind != JsonValueKind.Array)
                throw new SourceException(SourceErrorKind.Malformed, $"{what}: malformed response (no \"profiles\" array)");
            var views = new List<(string, Actor)>();
            foreach (var view in profiles.EnumerateArray())
            {
                if (view.ValueKind != JsonValueKind.Object || SourceJson.String(view, "did") is not { Length: > 0 } did) continue;
                var known = new Actor(did, view.Clone());
                views.Add((did, known));
                if (SourceJson.String(view, "handle") is { Length: > 0 } name) views.Add((name, known));
            }
            return views;
        }, cancellationToken);
        return (found ?? throw new SourceException(SourceErrorKind.NotFound, $"{what}: Profile not found (getProfiles left it out)"), asked);
    }

    [GeneratedRegex(@"^did:[a-z]+:[a-zA-Z0-9._:%-]+$")]
    private static partial Regex Did();

    private static ProfileSnapshot ProfileOf(JsonElement profile, DateTimeOffset now)
    {
        if (profile.ValueKind != JsonValueKind.Object) return new ProfileSnapshot(null, null, now);
        var name = SourceJson.String(profile, "displayName");
        if (string.IsNullOrWhiteSpace(name)) name = SourceJson.String(profile, "handle");
        var avatar = SourceJson.String(profile, "avatar");
        var httpAvatar = WebLink.IsHttp(avatar) ? avatar : null;
        return new ProfileSnapshot(name, httpAvatar, now);
    }

    /// <summary>XRPC errors that mean "no such public account" (400 with error and message).</summary>
    private static readonly HashSet<string> GoneErrors = new(StringComparer.OrdinalIgnoreCase)
    {
        "NotFound", "ActorNotFound", "AccountTakedown", "AccountDeactivated", "BlockedActor", "BlockedByActor", "RepoNotFound",
    };

    private async Task<JsonDocument> GetAsync(Uri baseUrl, string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var url = new Uri(baseUrl.ToString().TrimEnd('/') + pathAndQuery);
        using var response = await _http.GetAsync(url, what, r => r.Headers.Accept.ParseAdd("application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var reset = SourceHttp.ParseReset(SourceHttp.Header(response, "RateLimit-Reset"));
        var (error, message) = ErrorOf(body);
        var says = string.Join(": ", new[] { error, message }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw SourceHttp.Failure(response.StatusCode, what, says, _http.RateLimitedUntil(response, url, reset));
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var gone = (error is not null && GoneErrors.Contains(error))
                || (message ?? "").Contains("not found", StringComparison.OrdinalIgnoreCase)
                || (message ?? "").Contains("must be a valid", StringComparison.OrdinalIgnoreCase);
            // A suspended (taken down) or deactivated account says so; a DID the AppView no longer has a profile for was deleted.
            var failure = SourceHttp.Failure(response.StatusCode, what, says, kind: gone ? SourceErrorKind.NotFound : SourceErrorKind.Malformed);
            var state = error switch
            {
                "AccountTakedown" => AccountGone.Suspended,
                "AccountDeactivated" => AccountGone.Deactivated,
                "RepoNotFound" => AccountGone.Deleted,
                _ when gone && pathAndQuery.Contains("actor=did%3A", StringComparison.Ordinal) && error is not ("BlockedActor" or "BlockedByActor") => AccountGone.Deleted,
                _ => null,
            };
            throw state is null ? failure : SourceException.AccountIsGone(state, failure.Message);
        }
        if (!response.IsSuccessStatusCode) throw SourceHttp.Failure(response.StatusCode, what, says);
        if (SourceHttp.Header(response, "RateLimit-Remaining")?.Trim() == "0" && reset is { } resetAt && resetAt > _http.Now)
            _http.Pause(url.Authority, resetAt);
        var json = SourceHttp.ParseJson(body, what, response.StatusCode);
        if (json.RootElement.ValueKind != JsonValueKind.Object)
        {
            json.Dispose();
            throw new SourceException(SourceErrorKind.Malformed, $"{what}: malformed response (not a JSON object)");
        }
        return json;
    }

    private static (string? Error, string? Message) ErrorOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{') return (null, null);
        try
        {
            using var json = JsonDocument.Parse(body);
            return (SourceJson.String(json.RootElement, "error"), SourceJson.String(json.RootElement, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
