using System.Text.RegularExpressions;

namespace SolidarityTracker.Sources.Mastodon;

/// <summary>
/// Public posts of a Mastodon account, no authentication. The handle <c>user@instance</c> names the instance
/// (Sources:Mastodon:BaseUrl, when set, overrides it). The account id is looked up once
/// (<c>/api/v1/accounts/lookup</c>) and kept as the account's external id; after that a poll is one
/// <c>/api/v1/accounts/:id/statuses?min_id=</c> request when nothing is new.
/// </summary>
/// <remarks>
/// Ordering, as the API documents it: results are always newest first. <c>max_id</c> pages toward older
/// (Link rel="next"); <c>min_id</c> returns the page immediately newer than the id, and rel="prev" pages on
/// toward newer. So the steady-state walk with <c>min_id</c> goes oldest-new page first, and each stored page
/// may safely move the cursor to its own newest id. The first poll starts at the newest page and walks back
/// with <c>max_id</c> to the back-fill horizon; see <see cref="MastodonCursor"/> for how that stays resumable.
/// Edits and profile changes are not announced by <c>min_id</c>: when the profile is due (Polling:ProfileInterval)
/// the poll reads the newest page instead, whose statuses carry the account and any recent edits.
/// </remarks>
public sealed partial class MastodonSource(IHttpClientFactory httpClients, TrackerSettings settings, TimeProvider time, ILogger<MastodonSource> logger) : ISource
{
    /// <summary>The API's maximum for account statuses.</summary>
    public const int PageSize = 40;
    /// <summary>A bound on one poll's walk toward newer; the cursor keeps the place, so the next poll goes on.</summary>
    public const int MaxPagesPerPoll = 25;

    private readonly SourceHttp _http = new(httpClients, time);

    public string Platform => Platforms.Mastodon;

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var instance = Instance.Of(account.Handle, settings.Sources.Mastodon.BaseUrl);
        var cursor = CursorJson.Stored(account, MastodonCursor.Parse, logger);

        var requests = 0;
        ProfileSnapshot? profile = null;
        var profileSeen = false;
        var accountId = account.ExternalId;
        if (accountId is null)
        {
            using var lookup = await GetAsync(instance, $"/api/v1/accounts/lookup?acct={Uri.EscapeDataString(instance.Acct)}", $"account {account.Handle}", cancellationToken);
            requests++;
            accountId = SourceJson.Required(lookup.Json.RootElement, "id", "account");
            // Stored at once, so a poll cut short after the lookup (a spent rate limit) never repeats it.
            yield return new SourcePage([], null, requests, ProfileOf(lookup.Json.RootElement, context.Now), accountId);
            ThrowIfSuspended(lookup.Json.RootElement, account.Handle);
            requests = 0;
            profileSeen = true;
        }
        var statusesPath = $"/api/v1/accounts/{Uri.EscapeDataString(accountId)}/statuses?limit={PageSize}";
        var what = $"timeline of {account.Handle}";

        if (cursor is { MinId: { } storedMinId })
        {
            var minId = storedMinId;
            if (context.ProfileDue && !profileSeen)
            {
                // One look at the newest page: the profile rides on its statuses, and recent edits show.
                using var newest = await GetAsync(instance, statusesPath, what, cancellationToken);
                requests++;
                var statuses = Statuses(newest.Json);
                profile ??= statuses.Count > 0 ? AccountProfileOf(statuses[0], context.Now) : null;
                if (profile is null)
                {
                    using var self = await GetAsync(instance, $"/api/v1/accounts/{Uri.EscapeDataString(accountId)}", $"account {account.Handle}", cancellationToken);
                    requests++;
                    profile = ProfileOf(self.Json.RootElement, context.Now);
                    ThrowIfSuspended(self.Json.RootElement, account.Handle);
                }
                var covered = statuses.Count < PageSize || statuses.Any(s => MastodonCursor.CompareIds(Id(s), minId) <= 0);
                var newestId = statuses.Select(Id).Append(minId).MaxBy(i => i, IdComparer.Default)!;
                // The newest page lists every status since its oldest one, so a stored status of that window it lacks was deleted.
                // What the first poll left behind the back-fill horizon stays there.
                var posts = ToPosts(statuses, account, context.BackfillFrom);
                DateTimeOffset? listedSince = posts.Count > 0 ? posts.Min(p => p.CreatedAt) + SourcePage.ListingMargin : null;
                yield return new SourcePage(posts, covered ? new MastodonCursor(MinId: newestId).ToJson() : null,
                    requests, profile, ListedSince: listedSince);
                if (covered) yield break;
                requests = 0;
                profile = null;
            }
            for (var pageNumber = 0; pageNumber < MaxPagesPerPoll; pageNumber++)
            {
                using var page = await GetAsync(instance, $"{statusesPath}&min_id={Uri.EscapeDataString(minId)}", what, cancellationToken);
                requests++;
                var statuses = Statuses(page.Json);
                if (statuses.Count == 0)
                {
                    yield return new SourcePage([], null, requests, profile);
                    yield break;
                }
                var pageNewest = statuses.Select(Id).MaxBy(i => i, IdComparer.Default)!;
                var prev = page.Links.GetValueOrDefault("prev")?.GetValueOrDefault("min_id");
                var next = prev is not null && MastodonCursor.CompareIds(prev, pageNewest) >= 0 ? prev : pageNewest;
                var forward = MastodonCursor.CompareIds(next, minId) > 0; // a server that does not move forward is not followed round in a loop
                profile ??= AccountProfileOf(statuses[0], context.Now);
                yield return new SourcePage(ToPosts(statuses, account, null), forward ? new MastodonCursor(MinId: next).ToJson() : null, requests, profile);
                if (!forward) yield break;
                requests = 0;
                profile = null;
                minId = next;
                if (statuses.Count < PageSize) yield break;
            }
            yield break;
        }

        // First poll, or a back-fill that stopped half-way: newest first, then older with max_id down to the horizon.
        var backfillNewest = cursor?.BackfillNewest;
        var maxId = cursor?.MaxId;
        while (true)
        {
            using var page = await GetAsync(instance, maxId is null ? statusesPath : $"{statusesPath}&max_id={Uri.EscapeDataString(maxId)}", what, cancellationToken);
            requests++;
            var statuses = Statuses(page.Json);
            if (statuses.Count > 0)
            {
                backfillNewest ??= statuses.Select(Id).MaxBy(i => i, IdComparer.Default);
                profile ??= AccountProfileOf(statuses[0], context.Now);
            }
            if (profile is null && context.ProfileDue && !profileSeen)
            {
                using var self = await GetAsync(instance, $"/api/v1/accounts/{Uri.EscapeDataString(accountId)}", $"account {account.Handle}", cancellationToken);
                requests++;
                profile = ProfileOf(self.Json.RootElement, context.Now);
            }
            var oldest = statuses.Count > 0 ? statuses.Select(Id).MinBy(i => i, IdComparer.Default) : null;
            var reachedHorizon = statuses.Any(s => CreatedAt(s) < context.BackfillFrom);
            var nextMax = page.Links.GetValueOrDefault("next")?.GetValueOrDefault("max_id") ?? oldest;
            var done = statuses.Count == 0 || reachedHorizon || !page.Links.ContainsKey("next") || statuses.Count < PageSize
                || nextMax is null || (maxId is not null && MastodonCursor.CompareIds(nextMax, maxId) >= 0);
            var nextCursor = done
                ? (backfillNewest is null ? null : new MastodonCursor(MinId: backfillNewest))
                : new MastodonCursor(BackfillNewest: backfillNewest, MaxId: nextMax);
            yield return new SourcePage(ToPosts(statuses, account, context.BackfillFrom), nextCursor?.ToJson(), requests, profile);
            if (done) yield break;
            requests = 0;
            profile = null;
            maxId = nextMax;
        }
    }

    private List<Post> ToPosts(IReadOnlyList<JsonElement> statuses, AccountState account, DateTimeOffset? notBefore)
    {
        var posts = new List<Post>(statuses.Count);
        foreach (var status in statuses)
        {
            var post = ToPost(status, account);
            if (notBefore is { } horizon && post.CreatedAt < horizon) continue;
            posts.Add(post);
        }
        return posts;
    }

    /// <summary>
    /// A status as a post. A reblog is a repost: the reblogged status's text, link, language and edits, created
    /// when the agency boosted it (the outer status), so it falls on the day the agency acted.
    /// </summary>
    public static Post ToPost(JsonElement status, AccountState account)
    {
        var reblog = status.TryGetProperty("reblog", out var r) && r.ValueKind == JsonValueKind.Object ? r : (JsonElement?)null;
        var shown = reblog ?? status;
        var text = HtmlText.ToPlainText(SourceJson.String(shown, "content"));
        var warning = SourceJson.String(shown, "spoiler_text");
        if (!string.IsNullOrWhiteSpace(warning)) text = warning.Trim() + (text.Length > 0 ? "\n" + text : "");
        return new Post
        {
            Platform = Platforms.Mastodon,
            PostId = Id(status),
            AgencyId = account.AgencyId,
            Account = account.Handle,
            CreatedAt = CreatedAt(status),
            Url = new[] { reblog is { } rb ? SourceJson.String(rb, "url") : null, SourceJson.String(status, "url"), reblog is { } rb2 ? SourceJson.String(rb2, "uri") : null }
                .FirstOrDefault(WebLink.IsHttp),
            Text = text,
            IsRepost = reblog is not null,
            IsReply = status.TryGetProperty("in_reply_to_id", out var reply) && reply.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined),
            Lang = SourceJson.String(shown, "language") ?? SourceJson.String(status, "language"),
            RawJson = status.GetRawText(),
            EditedAt = SourceJson.Time(shown, "edited_at"),
        };
    }

    private static IReadOnlyList<JsonElement> Statuses(JsonDocument json)
    {
        if (json.RootElement.ValueKind != JsonValueKind.Array)
            throw new SourceException(SourceErrorKind.Malformed, "malformed response: the timeline is not a JSON array");
        return json.RootElement.EnumerateArray().ToList();
    }

    /// <summary>Mastodon keeps a suspended account's id and says <c>"suspended": true</c> on it; its statuses come back empty.</summary>
    private static void ThrowIfSuspended(JsonElement account, string handle)
    {
        if (account.TryGetProperty("suspended", out var suspended) && suspended.ValueKind == JsonValueKind.True)
            throw SourceException.AccountIsGone(AccountGone.Suspended, $"account {handle}: the instance says the account is suspended");
    }

    private static ProfileSnapshot? AccountProfileOf(JsonElement status, DateTimeOffset now) =>
        status.TryGetProperty("account", out var account) && account.ValueKind == JsonValueKind.Object ? ProfileOf(account, now) : null;

    private static ProfileSnapshot ProfileOf(JsonElement account, DateTimeOffset now)
    {
        var name = SourceJson.String(account, "display_name");
        if (string.IsNullOrWhiteSpace(name)) name = SourceJson.String(account, "username");
        var avatar = SourceJson.String(account, "avatar");
        return new ProfileSnapshot(name, WebLink.IsHttp(avatar) ? avatar : null, now);
    }

    private static string Id(JsonElement status) => SourceJson.Required(status, "id", "status");

    private static DateTimeOffset CreatedAt(JsonElement status) =>
        SourceJson.Time(status, "created_at") ?? throw new SourceException(SourceErrorKind.Malformed, $"malformed response: status {Id(status)} has no valid created_at");

    private sealed record Response(JsonDocument Json, IReadOnlyDictionary<string, Dictionary<string, string>> Links) : IDisposable
    {
        public void Dispose() => Json.Dispose();
    }

    private async Task<Response> GetAsync(Instance instance, string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var url = instance.Url(pathAndQuery);
        using var response = await _http.GetAsync(url, what, r => r.Headers.Accept.ParseAdd("application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var reset = SourceHttp.ParseReset(SourceHttp.Header(response, "X-RateLimit-Reset"));
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            throw SourceHttp.Failure(response.StatusCode, what, ErrorOf(body), _http.RateLimitedUntil(response, url, reset));
        // 410: the account is gone for good; 404 for an account id the instance gave us once: it was deleted since.
        // (A lookup by acct that finds nothing may be a typo in the handle: plain not found.)
        if (response.StatusCode == HttpStatusCode.Gone || (response.StatusCode == HttpStatusCode.NotFound && !pathAndQuery.StartsWith("/api/v1/accounts/lookup", StringComparison.Ordinal)))
            throw SourceException.AccountIsGone(AccountGone.Deleted, SourceHttp.Failure(response.StatusCode, what, ErrorOf(body)).Message);
        if (!response.IsSuccessStatusCode) throw SourceHttp.Failure(response.StatusCode, what, ErrorOf(body));
        // The budget is spent: this answer is good, but the next request would only earn a 429.
        if (SourceHttp.Header(response, "X-RateLimit-Remaining")?.Trim() == "0" && reset is { } resetAt && resetAt > _http.Now)
            _http.Pause(instance.Host, resetAt);
        return new Response(SourceHttp.ParseJson(body, what, response.StatusCode), ParseLinks(SourceHttp.Header(response, "Link")));
    }

    /// <summary>Mastodon's errors are <c>{"error":"Record not found"}</c>; anything else (an HTML page) is not repeated.</summary>
    private static string? ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return SourceJson.String(json.RootElement, "error");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("""<(?<url>[^>]*)>\s*;\s*rel="?(?<rel>[^";,]+)"?""")]
    private static partial Regex LinkValue();

    /// <summary>rel → the link's query parameters; only the parameters are used, so a proxied BaseUrl stays in charge of the host.</summary>
    private static Dictionary<string, Dictionary<string, string>> ParseLinks(string? header)
    {
        var links = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(header)) return links;
        foreach (Match m in LinkValue().Matches(header))
        {
            var url = m.Groups["url"].Value;
            var query = url.Contains('?') ? url[(url.IndexOf('?') + 1)..] : "";
            var parameters = System.Web.HttpUtility.ParseQueryString(query);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in parameters.AllKeys.OfType<string>())
                if (parameters[key] is { } v) values[key] = v;
            links[m.Groups["rel"].Value.Trim()] = values;
        }
        return links;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+(:[0-9]{1,5})?$")]
    private static partial Regex InstanceName();

    /// <summary>Where an account lives: user@instance, or Sources:Mastodon:BaseUrl when set.</summary>
    private sealed record Instance(Uri BaseUrl, string Acct)
    {
        public string Host => BaseUrl.Authority;

        public Uri Url(string pathAndQuery) => new(BaseUrl.ToString().TrimEnd('/') + pathAndQuery);

        public static Instance Of(string handle, string? baseUrl)
        {
            var acct = handle.Trim().TrimStart('@');
            var at = acct.IndexOf('@');
            var domain = at > 0 ? acct[(at + 1)..] : null;
            if (!string.IsNullOrWhiteSpace(baseUrl) && Uri.TryCreate(baseUrl, UriKind.Absolute, out var configured))
                return new Instance(configured, acct);
            if (domain is null || !InstanceName().IsMatch(domain) || !Uri.TryCreate($"https://{domain}", UriKind.Absolute, out var own))
                throw new SourceException(SourceErrorKind.NotFound, $"Mastodon handle '{handle}' does not name an instance (user@instance)");
            return new Instance(own, acct);
        }
    }

    private sealed class IdComparer : IComparer<string>
    {
        public static readonly IdComparer Default = new();
        public int Compare(string? x, string? y) => MastodonCursor.CompareIds(x ?? "", y ?? "");
    }
}
