using System.Net.WebSockets;
using System.Text.Json.Nodes;
using SolidarityTracker.Classification;
using SolidarityTracker.Polling;

namespace SolidarityTracker.Sources.Bluesky;

/// <summary>
/// Bluesky by stream instead of by poll (Sources:Bluesky:Jetstream): one Jetstream WebSocket subscription with
/// <c>wantedCollections</c> app.bsky.feed.post and app.bsky.feed.repost and <c>wantedDids</c> the followed accounts' DIDs
/// (resolved once by the poll's getProfile and kept as their external id). The subscription asks with
/// <c>requireHello=true</c> and sends its options as the first <c>options_update</c> message (a DID list does not fit a
/// URL), and again whenever the set of DIDs changes (the configuration changed, a new account was resolved).
/// <para>
/// Each event is stored as the poll would store it: a created post through the same feed-item mapping as getAuthorFeed,
/// a repost with its reposted post read once from <c>app.bsky.feed.getPosts</c>, a deleted post marked deleted, an
/// identity event's new handle kept for `status`, an account event that says the account is taken down, deactivated
/// or deleted recorded as such. The cursor (the last stored event's <c>time_us</c>) is kept in the database and a
/// reconnection or a restart resumes <see cref="Overlap"/> before it: events seen twice are stored once (by post id),
/// none is skipped.
/// </para>
/// <para>
/// While the stream is up, the accounts it covers (subscribed, back-filled once by getAuthorFeed) are polled only once per
/// <see cref="PollingOptions.MaxInterval"/> (profiles, edits, deletions the listing sees); when it is down, the
/// adaptive poll schedule takes over, the intervals kept short by the streamed posts.
/// </para>
/// </summary>
public sealed class JetstreamStream(
    AccountStore accounts,
    PostStore posts,
    BlueskySource bluesky,
    IPostClassifier classifier,
    TrackerSettings settings,
    TimeProvider time,
    ILogger<JetstreamStream> logger) : IStreamCoverage
{
    public const string CursorName = "bluesky:jetstream";
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    public static readonly IReadOnlyList<string> Collections = ["app.bsky.feed.post", "app.bsky.feed.repost"];
    /// <summary>Jetstream's own limit on wantedDids; accounts beyond it are polled.</summary>
    public const int MaxDids = 10_000;
    /// <summary>How often the set of followed DIDs is compared with the subscription's.</summary>
    public static readonly TimeSpan OptionsCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CursorSaveEvery = TimeSpan.FromSeconds(1);
    private const string PostCollection = "app.bsky.feed.post";
    private const string RepostCollection = "app.bsky.feed.repost";

    private readonly Lock _lock = new();
    private Dictionary<string, AccountState> _byDid = new(StringComparer.Ordinal);
    private volatile bool _live;
    private long _events, _stored;

    /// <summary>How often the followed DIDs are compared with the subscription's (tests shorten it).</summary>
    public TimeSpan OptionsCheckInterval { get; set; } = OptionsCheck;

    public bool Enabled => !string.IsNullOrWhiteSpace(settings.Sources.Bluesky.Jetstream);
    /// <summary>True while the subscription is open and its options were sent.</summary>
    public bool IsLive => _live;
    public long Events => Interlocked.Read(ref _events);
    public long StoredPosts => Interlocked.Read(ref _stored);
    /// <summary>The DIDs the open subscription asked for.</summary>
    public IReadOnlyCollection<string> SubscribedDids
    {
        get { lock (_lock) return _byDid.Keys.ToList(); }
    }

    /// <summary>Whether the live stream brings this account's posts, so its poll can wait (<see cref="IStreamCoverage"/>).</summary>
    public bool Covers(AccountState account)
    {
        if (!_live || account.Platform != Platforms.Bluesky || account.ExternalId is null || account.LastSuccessAt is null) return false;
        lock (_lock) return _byDid.ContainsKey(account.ExternalId);
    }

    /// <summary>Keeps the subscription up until cancelled: reconnects after a failure, waiting 1, 2, 4 … seconds (at most a minute).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(cancellationToken)) failures = 0;
                else await Task.Delay(OptionsCheckInterval, cancellationToken); // nobody to follow yet
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or JsonException or SourceException or OperationCanceledException)
            {
                failures++;
                var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), 60));
                logger.LogWarning("Bluesky Jetstream {Url}: {Error}; polling takes over, reconnecting in {Wait}", settings.Sources.Bluesky.Jetstream, SourceHttp.OneLine(ex.Message), wait);
                try { await Task.Delay(wait, cancellationToken); } catch (OperationCanceledException) { return; }
            }
            finally
            {
                _live = false;
            }
        }
    }

    /// <summary>
    /// One connection: subscribe, then store events until the socket closes or fails. Returns false without connecting
    /// when no followed account has a DID yet (an empty wantedDids would be the whole network).
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var followed = Followed();
        if (followed.Count == 0) return false;
        var cursor = long.TryParse(accounts.StreamCursor(CursorName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var stored) ? stored : (long?)null;
        var url = SubscribeUrl(settings.Sources.Bluesky.Jetstream!, cursor is { } c ? c - (long)Overlap.TotalMicroseconds : null);
        using var socket = await ConnectAsync(url, cancellationToken);
        await SendOptionsAsync(socket, followed, cancellationToken);
        _live = true;
        logger.LogInformation("Bluesky Jetstream {Url}: subscribed to {Dids} accounts, {Resume}", settings.Sources.Bluesky.Jetstream, followed.Count,
            cursor is null ? "from now" : $"resuming at time_us {cursor} less {Overlap.TotalSeconds:0} s");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The one sender after the hello: every OptionsCheckInterval it compares the followed DIDs with the subscription's.
        var options = KeepOptionsAsync(socket, stop.Token);
        var lastSave = Environment.TickCount64;
        long? unsaved = null;
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                ValueWebSocketReceiveResult result;
                message.SetLength(0);
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    logger.LogInformation("Bluesky Jetstream closed the stream ({Status} {Description})", socket.CloseStatus, socket.CloseStatusDescription);
                    break;
                }
                Interlocked.Increment(ref _events);
                // Handled in order; the cursor moves past an event only once it is stored.
                if (await HandleAsync(message.GetBuffer().AsMemory(0, (int)message.Length), cancellationToken) is { } timeUs) unsaved = timeUs;
                if (unsaved is { } u && Environment.TickCount64 - lastSave >= CursorSaveEvery.TotalMilliseconds)
                {
                    await SaveCursorAsync(u);
                    unsaved = null;
                    lastSave = Environment.TickCount64;
                }
                if (options.IsCompleted) break; // no followed account left, or the options could not be sent: start over
            }
        }
        finally
        {
            _live = false;
            await stop.CancelAsync();
            try { await options; } catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException) { }
            if (unsaved is { } pending) await SaveCursorAsync(pending);
        }
        return true;
    }

    /// <summary>
    /// For `check`: opens the stream's WebSocket once and closes it. With requireHello=true Jetstream sends nothing before
    /// the options, so the probe reads no event and stores nothing; the text says what was found, in one line.
    /// </summary>
    public async Task<(string Text, bool Ok)> ProbeAsync(CancellationToken cancellationToken)
    {
        var jetstream = settings.Sources.Bluesky.Jetstream!;
        var followed = Followed().Count;
        try
        {
            using var socket = await ConnectAsync(SubscribeUrl(jetstream, null), cancellationToken);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "check", cancellationToken);
            return ($"ok: the stream at {jetstream} answers; {followed} followed {(followed == 1 ? "account has" : "accounts have")} a DID to subscribe (the others join once a poll resolves them)", true);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = ex is OperationCanceledException ? $"no answer within {settings.Polling.RequestTimeout.TotalSeconds:0} s (Polling:RequestTimeout)" : ex.GetBaseException().Message.TrimEnd('.');
            return ($"failing: cannot open the stream at {jetstream} ({why}); check Sources:Bluesky:Jetstream; meanwhile Bluesky accounts are polled", false);
        }
    }

    /// <summary>A socket connected to <paramref name="url"/> within Polling:RequestTimeout (the subscription's and `check`'s).</summary>
    private async Task<ClientWebSocket> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(20);
        socket.Options.SetRequestHeader("User-Agent", "SolidarityTracker/1.0 (+https://github.com/solidarity-tracker)");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Polling.RequestTimeout);
            await socket.ConnectAsync(url, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends an options_update whenever the set of followed DIDs changes (an account added, removed or newly resolved).</summary>
    private async Task KeepOptionsAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            await Task.Delay(OptionsCheckInterval, cancellationToken);
            var current = Followed();
            if (current.Count == 0) return;
            if (!current.Keys.ToHashSet(StringComparer.Ordinal).SetEquals(SubscribedDids))
            {
                logger.LogInformation("Bluesky Jetstream: followed accounts changed ({Dids} now); sending options_update", current.Count);
                await SendOptionsAsync(socket, current, cancellationToken);
            }
            else lock (_lock) _byDid = current;
        }
    }

    /// <summary>wss://host/subscribe?wantedCollections=…&amp;requireHello=true[&amp;cursor=…]; the DIDs follow in the first message.</summary>
    public static Uri SubscribeUrl(string jetstream, long? cursor)
    {
        var builder = new UriBuilder(jetstream);
        var query = builder.Query.TrimStart('?');
        var parts = new List<string>(string.IsNullOrEmpty(query) ? [] : [query]);
        parts.AddRange(Collections.Select(c => "wantedCollections=" + Uri.EscapeDataString(c)));
        parts.Add("requireHello=true");
        if (cursor is { } c2) parts.Add("cursor=" + c2.ToString(CultureInfo.InvariantCulture));
        builder.Query = string.Join('&', parts);
        return builder.Uri;
    }

    /// <summary>Jetstream's subscriber-sourced message: {"type":"options_update","payload":{"wantedCollections":[…],"wantedDids":[…]}}.</summary>
    public static string OptionsUpdate(IEnumerable<string> dids) => new JsonObject
    {
        ["type"] = "options_update",
        ["payload"] = new JsonObject
        {
            ["wantedCollections"] = new JsonArray(Collections.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["wantedDids"] = new JsonArray(dids.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
            ["maxMessageSizeBytes"] = 0,
        },
    }.ToJsonString();

    private async Task SendOptionsAsync(ClientWebSocket socket, Dictionary<string, AccountState> followed, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(OptionsUpdate(followed.Keys.Order(StringComparer.Ordinal)));
        await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        lock (_lock) _byDid = followed;
    }

    /// <summary>The configured, enabled Bluesky accounts with a DID (at most <see cref="MaxDids"/>, the oldest first), by DID.</summary>
    private Dictionary<string, AccountState> Followed()
    {
        var map = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        foreach (var account in accounts.Resolved(Platforms.Bluesky))
        {
            if (map.Count >= MaxDids) break;
            map.TryAdd(account.ExternalId!, account);
        }
        return map;
    }

    private async Task SaveCursorAsync(long timeUs) =>
        await accounts.SaveStreamCursorAsync(CursorName, timeUs.ToString(CultureInfo.InvariantCulture), time.GetUtcNow(), CancellationToken.None);

    /// <summary>Stores what one event says; returns its time_us once it is handled (null for a message that is not an event).</summary>
    public async Task<long?> HandleAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("time_us", out var t) || !t.TryGetInt64(out var timeUs)) return null;
        var did = SourceJson.String(root, "did");
        AccountState? account = null;
        if (did is not null) lock (_lock) _byDid.TryGetValue(did, out account);
        if (account is null) return timeUs; // not (or no longer) followed
        // The account as stored now (its handle, state), not as it was when subscribed.
        account = accounts.ById(account.Id) ?? account;
        var now = time.GetUtcNow();
        switch (SourceJson.String(root, "kind"))
        {
            case "commit" when root.TryGetProperty("commit", out var commit) && commit.ValueKind == JsonValueKind.Object:
                await CommitAsync(account, did!, commit, timeUs, now, cancellationToken);
                break;
            case "identity" when root.TryGetProperty("identity", out var identity) && SourceJson.String(identity, "handle") is { } handle:
                await accounts.RecordHandleAsync(account.Id, string.Equals(handle, account.Handle, StringComparison.OrdinalIgnoreCase) ? null : handle, CancellationToken.None);
                break;
            case "account" when root.TryGetProperty("account", out var state) && state.ValueKind == JsonValueKind.Object:
                await AccountAsync(account, state, now);
                break;
        }
        return timeUs;
    }

    private async Task CommitAsync(AccountState account, string did, JsonElement commit, long timeUs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var operation = SourceJson.String(commit, "operation");
        var collection = SourceJson.String(commit, "collection");
        var rkey = SourceJson.String(commit, "rkey");
        if (rkey is null) return;
        var uri = $"at://{did}/{collection}/{rkey}";
        var at = DateTimeOffset.FromUnixTimeMilliseconds(timeUs / 1000);
        if (operation == "delete")
        {
            // A deleted post is marked so; an undone repost names only its own record, which is not stored: the hourly listing poll sees it.
            if (collection == PostCollection) await SaveAsync(account, new SourcePage([], null, 0, DeletedPostIds: [uri]), now);
            return;
        }
        if (operation is not ("create" or "update") || !commit.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object) return;
        Post? post = null;
        if (collection == PostCollection)
        {
            // The same feed item getAuthorFeed would serve, so the post is mapped (text, links, reply, language, URL) the one way.
            var item = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["uri"] = uri,
                    ["cid"] = SourceJson.String(commit, "cid"),
                    ["author"] = new JsonObject { ["did"] = did, ["handle"] = account.CurrentHandle ?? account.Handle },
                    ["record"] = JsonNode.Parse(record.GetRawText()),
                    ["indexedAt"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                },
            };
            using var parsed = JsonDocument.Parse(item.ToJsonString());
            post = BlueskySource.PostOf(parsed.RootElement, account, did, now);
        }
        else if (collection == RepostCollection && record.TryGetProperty("subject", out var subject) && SourceJson.String(subject, "uri") is { } subjectUri)
        {
            var repostedAt = SourceJson.Time(record, "createdAt") is { } created && created <= now ? created : at;
            post = await bluesky.RepostAsync(account, did, subjectUri, repostedAt, now, cancellationToken);
        }
        if (post is null) return;
        var saved = await SaveAsync(account, new SourcePage([post], null, 0), now);
        if (saved.Added > 0)
        {
            Interlocked.Add(ref _stored, saved.Added);
            // The streamed post counts toward the account's posting rate: should the stream go down, its polls stay as frequent as it posts.
            await accounts.RecordStreamedAsync(account.Id, CheckPlan.After(account, saved.Added, now, settings.Polling), CancellationToken.None);
        }
    }

    private async Task<PostStore.SaveResult> SaveAsync(AccountState account, SourcePage page, DateTimeOffset now)
    {
        var labels = page.Posts.Select(p => classifier.Classify(p.Text)).ToArray();
        return await posts.SavePageAsync(account, page, labels, now, CancellationToken.None);
    }

    /// <summary>An account event: inactive with a status says the account is gone (asked again about once a day); active again clears it.</summary>
    private async Task AccountAsync(AccountState account, JsonElement state, DateTimeOffset now)
    {
        var active = state.TryGetProperty("active", out var a) && a.ValueKind == JsonValueKind.True;
        if (active)
        {
            if (account.Gone is not null) await accounts.ClearGoneAsync(account.Id, now, CancellationToken.None);
            return;
        }
        var status = SourceJson.String(state, "status") ?? "inactive";
        var gone = status switch
        {
            "takendown" or "suspended" => AccountGone.Suspended,
            "deactivated" => AccountGone.Deactivated,
            "deleted" => AccountGone.Deleted,
            _ => null,
        };
        if (gone is null) return;
        var failure = SourceException.AccountIsGone(gone, $"Bluesky Jetstream: account {account.Handle} is {status}");
        await accounts.RecordFailureAsync(account.Id, failure.KindName, failure.Detail, now, now + AccountGone.Recheck, CancellationToken.None, gone);
    }
}
