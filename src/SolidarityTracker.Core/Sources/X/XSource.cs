using System.Runtime.ExceptionServices;

namespace SolidarityTracker.Sources.X;

/// <summary>
/// X API v2 with an app bearer token: the user id is resolved once by username, then each poll reads the
/// user's timeline since the newest stored post id, page by page (newest to oldest).
/// <para>
/// Cursor: {"since_id": S} between cycles. While a cycle pages, each stored page carries
/// {"since_id": S, "pending": {"token": next page, "newest": newest id of this cycle}}, so a crash resumes
/// at the next page; only the last page moves since_id to the cycle's newest id. Re-reading a page is
/// harmless (posts are unique by id), skipping one is not, which is why since_id waits for the last page.
/// </para>
/// <para>Posts are mapped by <see cref="XPostMapper"/>, the same mapping the twarc2 import uses.</para>
/// </summary>
public sealed class XSource(IHttpClientFactory httpClients, TrackerSettings settings, TimeProvider time, XReadBudget reads, PlatformCaps caps, ILogger<XSource> logger) : ISource
{
    private const string TweetFields = "created_at,lang,referenced_tweets,in_reply_to_user_id,edit_history_tweet_ids,entities,author_id,note_tweet";
    private const string Expansions = "author_id,referenced_tweets.id,referenced_tweets.id.author_id";
    private const string UserFields = "name,username,profile_image_url";

    /// <summary>Shared by every account polled through this instance: the token's limits are per endpoint, not per account.</summary>
    public XRateLimits RateLimits { get; } = new(time);
    /// <summary>GET /2/users?ids= takes at most 100 ids.</summary>
    public const int MaxUsersPerLookup = 100;
    private readonly ProfileBatch<XUser> _profiles = new(time, MaxUsersPerLookup, TimeSpan.FromMilliseconds(300));
    private readonly SourceHttp _http = new(httpClients, time);

    public string Platform => Platforms.X;

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = settings.Sources.X.BearerToken;
        if (string.IsNullOrWhiteSpace(token))
            throw new SourceException(SourceErrorKind.Unauthorized, "Sources:X:BearerToken is not set") { PlatformFailure = PlatformFailure.TokenRefused };
        token = token.Trim();
        // Checked here so that no HTTP layer ever quotes the token back in an error about an invalid header.
        if (token.Any(c => c is < '!' or > '~'))
            throw new SourceException(SourceErrorKind.Unauthorized, "Sources:X:BearerToken contains characters a bearer token cannot have") { PlatformFailure = PlatformFailure.TokenRefused };
        // A usage cap holds every X request until its period ends, across restarts.
        if (caps.Active(Platforms.X, context.Now) is { } cap)
            throw new SourceException(SourceErrorKind.RateLimited, $"X usage cap reached ({cap.Reason}); no X request until {cap.Until:u}", cap.Until) { PlatformFailure = PlatformFailure.UsageCap };
        var client = new XApiClient(_http, settings.Sources.X.BaseUrl, token, RateLimits, time);

        var requests = 0;
        ProfileSnapshot? profile = null;
        var profileSeen = false;
        string? resolvedId = null;
        var username = account.Handle;
        // The handle X gives the user now, once this poll has seen it: a renamed account is still followed by its id.
        string? seenUsername = null;
        var userId = account.ExternalId;
        if (string.IsNullOrEmpty(userId))
        {
            requests++;
            var lookup = await Ask(() => client.GetAsync(XApiClient.UserByUsername,
                $"/2/users/by/username/{Uri.EscapeDataString(account.Handle)}?user.fields={UserFields}", XJsonContext.Default.XUserResponse, cancellationToken));
            if (lookup.Data is not { Id.Length: > 0 } user) throw Refused(lookup.Errors, $"X user @{account.Handle}");
            userId = resolvedId = user.Id;
            username = user.Username ?? username;
            seenUsername = user.Username;
            profile = ToProfile(user, context.Now);
            profileSeen = true;
        }

        var cursor = XCursor.Parse(account.Cursor);
        var pending = cursor.Pending;
        var newest = pending?.Newest;
        var startTime = pending is not null ? pending.StartTime : cursor.SinceId is null ? Iso(context.BackfillFrom) : null;
        var firstPage = true;
        // Only a token read from the stored cursor may be given up on, and once: a fresh one refused is an error, not a loop.
        var storedToken = pending is not null;
        while (true)
        {
            XTimelineResponse? response = null;
            ExceptionDispatchInfo? failure = null;
            try
            {
                // Sources:X:MonthlyPostReads: ask for no more posts than the month's spread budget has left.
                var take = reads.TryReserve() ?? throw new SourceException(SourceErrorKind.RateLimited,
                    $"X monthly post budget (Sources:X:MonthlyPostReads {reads.Monthly:N0}) spent for now; X is read again from {reads.NextReadAt(time.GetUtcNow()):u}", reads.NextReadAt(time.GetUtcNow()));
                var query = TimelineQuery(userId, cursor.SinceId, startTime, pending?.Token, take);
                requests++;
                response = await TimelineAsync(client, query, take, cancellationToken);
            }
            catch (Exception ex) when (resolvedId is not null && !(ex is SourceException { InnerException: XBadRequestException } && storedToken))
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            catch (SourceException ex) when (ex.InnerException is XBadRequestException && storedToken)
            {
                storedToken = false;
                // The stored page token is no longer accepted: restart the cycle from since_id (re-reads, never skips).
                logger.LogInformation("X page token of @{Handle} refused; restarting from since_id", account.Handle);
                pending = null;
                newest = null;
                startTime = cursor.SinceId is null ? Iso(context.BackfillFrom) : null;
                continue;
            }
            if (failure is not null)
            {
                // Keep the resolved id even though the timeline failed: the next poll need not spend a lookup again.
                yield return new SourcePage([], null, requests, profile, resolvedId);
                failure.Throw();
            }
            if (response!.Data is null && response.Meta is null)
                throw Refused(response.Errors, $"X user @{account.Handle} (id {userId})");

            var data = response.Data ?? [];
            if (pending is null && data.Count > 0) newest = response.Meta?.NewestId ?? MaxId(data);
            var mapper = new XPostMapper(response.Includes);
            if (mapper.User(userId) is { } author)
            {
                username = author.Username ?? username;
                seenUsername = author.Username ?? seenUsername;
                profile ??= ToProfile(author, context.Now);
                profileSeen = true;
            }
            var posts = new List<Post>(data.Count);
            foreach (var element in data) posts.Add(Map(element, account, username, mapper, context.Now));

            var next = data.Count > 0 ? response.Meta?.NextToken : null;
            pending = next is null ? null : new XPendingPage(next, newest, startTime);
            var newCursor = new XCursor(next is null ? newest ?? cursor.SinceId : cursor.SinceId, pending).ToJson();

            if (next is null && context.ProfileDue && !profileSeen)
            {
                (profile, var asked, var name) = await ProfileAsync(client, userId, account.Handle, context.Now, cancellationToken);
                seenUsername = name ?? seenUsername;
                requests += asked;
            }
            // An idle poll (nothing new, nothing resolved, no profile) writes nothing: one request, no transaction.
            if (posts.Count > 0 || newCursor != (account.Cursor ?? "{}") || profile is not null || resolvedId is not null || !firstPage)
            {
                yield return new SourcePage(posts, newCursor, requests, profile, resolvedId) { Handle = seenUsername };
                requests = 0;
                profile = null;
                resolvedId = null;
            }
            firstPage = false;
            storedToken = false;
            if (next is null) yield break;
        }
    }

    /// <summary>One timeline request: its reservation of post reads settled by what X returned; a usage cap stored until its period ends.</summary>
    private async Task<XTimelineResponse> TimelineAsync(XApiClient client, string query, int reserved, CancellationToken cancellationToken)
    {
        XTimelineResponse? response = null;
        try
        {
            return response = await Ask(() => client.GetAsync(XApiClient.UserTweets, query, XJsonContext.Default.XTimelineResponse, cancellationToken));
        }
        catch (SourceException ex) when (ex.InnerException is XUsageCapException cap)
        {
            logger.LogError("X usage cap reached ({Reason}); no X request until {Until:u}", cap.Reason, cap.Until);
            await caps.SetAsync(Platforms.X, cap.Reason, time.GetUtcNow(), cap.Until, CancellationToken.None);
            throw;
        }
        finally
        {
            reads.Settle(reserved, response?.Data?.Count ?? 0);
        }
    }

    /// <summary>Every failure is a SourceException; a 400 stays wrapped so a refused page token can be told apart.</summary>
    private static async Task<T> Ask<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (XBadRequestException ex)
        {
            throw new SourceException(SourceErrorKind.Malformed, ex.Message, inner: ex);
        }
    }

    private static string TimelineQuery(string userId, string? sinceId, string? startTime, string? pageToken, int maxResults)
    {
        var query = $"/2/users/{Uri.EscapeDataString(userId)}/tweets?max_results={maxResults}&tweet.fields={TweetFields}&expansions={Expansions}&user.fields={UserFields}";
        if (sinceId is not null) query += "&since_id=" + Uri.EscapeDataString(sinceId);
        if (startTime is not null) query += "&start_time=" + Uri.EscapeDataString(startTime);
        if (pageToken is not null) query += "&pagination_token=" + Uri.EscapeDataString(pageToken);
        return query;
    }

    /// <summary>
    /// Profiles of accounts with nothing new come from /2/users?ids=, batched with the other accounts polled
    /// meanwhile; a failure here costs the snapshot, not the poll.
    /// </summary>
    private async Task<(ProfileSnapshot? Profile, int Requests, string? Username)> ProfileAsync(XApiClient client, string userId, string handle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var (user, asked) = await _profiles.LookupAsync(userId, async (ids, ct) =>
            {
                var users = await Ask(() => client.GetAsync(XApiClient.Users, $"/2/users?ids={string.Join(',', ids.Select(Uri.EscapeDataString))}&user.fields={UserFields}", XJsonContext.Default.XUsersResponse, ct));
                return (users.Data ?? []).Select(u => (u.Id, u)).ToList();
            }, cancellationToken);
            return (user is null ? null : ToProfile(user, now), asked, user?.Username);
        }
        catch (Exception ex) when (ex is SourceException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("X profile of @{Handle} not refreshed: {Error}", handle, ex is SourceException ? ex.Message : ex.GetType().Name);
            return (null, 0, null);
        }
    }

    private static Post Map(JsonElement element, AccountState account, string username, XPostMapper mapper, DateTimeOffset now)
    {
        var tweet = element.Deserialize(XJsonContext.Default.XTweet) ?? throw new JsonException("a post that is null");
        if (string.IsNullOrEmpty(tweet.Id))
            throw new SourceException(SourceErrorKind.Malformed, $"X {XApiClient.UserTweets} of @{account.Handle}: a post without an id");
        return mapper.Map(tweet, element.GetRawText(), account.Handle, account.AgencyId, username, now);
    }

    private static ProfileSnapshot ToProfile(XUser user, DateTimeOffset now) => new(user.Name, user.ProfileImageUrl, now);

    /// <summary>Ids are decimal strings beyond 2^53: longer is newer, then ordinal order.</summary>
    private static string? MaxId(IReadOnlyList<JsonElement> data) =>
        data.Select(e => e.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>()
            .OrderByDescending(id => id.Length).ThenByDescending(id => id, StringComparer.Ordinal).FirstOrDefault();

    private static string Iso(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// X answers an unknown or suspended user with HTTP 200 and an `errors` array instead of `data`;
    /// that is not success. resource-not-found (and a suspension) is NotFound, a protected account Unauthorized.
    /// A suspension ("User has been suspended") says the account is gone, and so does a user id X no longer knows
    /// (the account was deleted; a username it does not know may be a typo, so that is plain NotFound).
    /// </summary>
    private static SourceException Refused(IReadOnlyList<XProblem>? errors, string what)
    {
        var error = errors?.FirstOrDefault();
        if (error is null) return new SourceException(SourceErrorKind.Malformed, $"{what}: response has neither data nor errors");
        var detail = string.Join(": ", new[] { error.Title, error.Detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var type = error.Type ?? "";
        if (type.EndsWith("/resource-not-found", StringComparison.Ordinal) || error.Title is "Not Found Error" or "Forbidden")
        {
            if ((error.Detail ?? "").Contains("suspended", StringComparison.OrdinalIgnoreCase))
                return SourceException.AccountIsGone(AccountGone.Suspended, $"{what}: {detail}");
            if (error.Parameter == "id" && error.ResourceType is null or "user")
                return SourceException.AccountIsGone(AccountGone.Deleted, $"{what}: {detail}");
            return new SourceException(SourceErrorKind.NotFound, $"{what}: {detail}");
        }
        if (type.EndsWith("/not-authorized-for-resource", StringComparison.Ordinal) || error.Title == "Authorization Error")
            return new SourceException(SourceErrorKind.Unauthorized, $"{what}: {detail}");
        return new SourceException(SourceErrorKind.Malformed, $"{what}: {detail}");
    }
}
