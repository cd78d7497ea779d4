namespace SolidarityTracker.Sources.Rss;

/// <summary>
/// An agency's news feed (RSS 2.0 or Atom 1.0): fetch with a conditional GET, parse, keep what is in the
/// back-fill window. The whole feed is one page; an unchanged feed is one 304 and nothing else.
/// </summary>
public sealed class RssSource(IHttpClientFactory httpClients, TrackerSettings settings, TimeProvider time, ILogger<RssSource> logger) : ISource
{
    private readonly SourceHttp _http = new(httpClients, time);

    /// <summary>A feed larger than this is refused rather than read into memory.</summary>
    public const int MaxFeedBytes = 10 * 1024 * 1024;

    public string Platform => Platforms.Rss;

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var feedUrl = account.Handle;
        var cursor = RssCursor.Parse(account.Cursor);
        var fetched = await FetchFeedAsync(feedUrl, cursor, cancellationToken);
        if (fetched is null)
        {
            // 304: nothing new, and the caching headers we hold stay as they are.
            yield return new SourcePage([], Cursor: null, Requests: 1);
            yield break;
        }

        var feed = RssFeedParser.Parse(fetched.Body, new Uri(feedUrl), account.AgencyId, context.Now);
        // The first poll of a feed keeps only the back-fill window; later polls keep the same floor, so an
        // old item that reappears in a feed is not mistaken for news.
        var since = cursor?.Since ?? context.BackfillFrom;
        var posts = feed.Posts.Where(p => p.CreatedAt >= since).ToList();
        logger.LogDebug("Feed {Url}: {Items} items, {Kept} since {Since:u}", feedUrl, feed.Posts.Count, posts.Count, since);
        var next = new RssCursor(fetched.ETag, fetched.LastModified, since);
        // The profile comes with every changed feed at no extra request, so it is read whether or not it is due:
        // otherwise a new title or image (a mourning badge) seen on an off-interval poll would wait for the
        // feed's next change. Storage records a snapshot only when it differs from the last.
        var profile = new ProfileSnapshot(feed.Title, feed.ImageUrl, context.Now);
        yield return new SourcePage(posts, next.ToJson(), Requests: 1, Profile: profile);
    }

    private sealed record FetchedFeed(byte[] Body, string? ETag, string? LastModified);

    /// <summary>The feed's bytes and caching headers, or null when the server says it has not changed.</summary>
    private async Task<FetchedFeed?> FetchFeedAsync(string feedUrl, RssCursor? cursor, CancellationToken cancellationToken)
    {
        var timeout = settings.Polling.RequestTimeout;
        // HttpClient.Timeout stops at the headers; this also bounds a body that trickles in.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var url = new Uri(feedUrl);
            using var response = await _http.GetAsync(url, "feed", request =>
            {
                request.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5");
                if (cursor?.ETag is { Length: > 0 } etag) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                if (cursor?.LastModified is { Length: > 0 } modified) request.Headers.TryAddWithoutValidation("If-Modified-Since", modified);
            }, deadline.Token, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode == HttpStatusCode.NotModified) return null;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                throw SourceHttp.Failure(response.StatusCode, null, response.ReasonPhrase, _http.RateLimitedUntil(response, url, reset: null));
            // The status is the whole story; a feed server's error page is HTML nobody should read in a log.
            if (!response.IsSuccessStatusCode) throw SourceHttp.Failure(response.StatusCode, null, response.ReasonPhrase);

            if (response.Content.Headers.ContentLength > MaxFeedBytes)
                throw new SourceException(SourceErrorKind.Malformed, $"feed is {response.Content.Headers.ContentLength} bytes, more than the {MaxFeedBytes / (1024 * 1024)} MB limit");
            var body = await ReadLimitedAsync(response.Content, deadline.Token);
            return new FetchedFeed(body, response.Headers.ETag?.ToString(), LastModifiedOf(response));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException(SourceErrorKind.Transient, $"timed out after {timeout.TotalSeconds:0.#} s", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SourceException(SourceErrorKind.Transient, $"connection failed ({ex.HttpRequestError}: {ex.Message})", inner: ex);
        }
        catch (IOException ex)
        {
            throw new SourceException(SourceErrorKind.Transient, $"connection broke while reading the feed ({ex.Message})", inner: ex);
        }
    }

    /// <summary>The header as the server wrote it: it is sent back verbatim, so no reformatting.</summary>
    private static string? LastModifiedOf(HttpResponseMessage response) =>
        response.Content.Headers.TryGetValues("Last-Modified", out var values) ? values.FirstOrDefault() : null;

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFeedBytes)
                throw new SourceException(SourceErrorKind.Malformed, $"feed is larger than the {MaxFeedBytes / (1024 * 1024)} MB limit");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
