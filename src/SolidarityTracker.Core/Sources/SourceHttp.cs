using System.Text.Json.Serialization.Metadata;

namespace SolidarityTracker.Sources;

/// <summary>
/// The HTTP under every source: the GET (refused before it is sent while the host's rate limit is spent), the pause
/// a spent budget puts on a host, the one mapping of an HTTP status to the <see cref="SourceException"/> the poll
/// cycle understands, the one Retry-After reading (on the <see cref="TimeProvider"/>, so tests move the clock) and
/// JSON parsing whose failure is a malformed answer. One instance per source: pauses are per service.
/// </summary>
public sealed class SourceHttp(IHttpClientFactory httpClients, TimeProvider time)
{
    /// <summary>When a 429 names no reset time, how long to leave the service alone.</summary>
    public static readonly TimeSpan DefaultRateLimitPause = TimeSpan.FromMinutes(5);

    private readonly RateLimitPauses _pauses = new();

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Sends a GET for <paramref name="url"/>; <paramref name="prepare"/> adds headers. The caller disposes the answer.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri url, string what, Action<HttpRequestMessage>? prepare, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        _pauses.ThrowIfPaused(url.Authority, time.GetUtcNow(), what);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        prepare?.Invoke(request);
        return await httpClients.CreateClient(TrackerServices.SourcesHttpClient).SendAsync(request, completion, cancellationToken);
    }

    /// <summary>Nobody asks <paramref name="host"/> again before <paramref name="until"/>.</summary>
    public void Pause(string host, DateTimeOffset until) => _pauses.Pause(host, until);

    /// <summary>
    /// A 429's end: the service's own reset header when it is ahead, else Retry-After, else <see cref="DefaultRateLimitPause"/>;
    /// the host is paused until then.
    /// </summary>
    public DateTimeOffset RateLimitedUntil(HttpResponseMessage response, Uri url, DateTimeOffset? reset)
    {
        var now = time.GetUtcNow();
        var until = reset is { } r && r > now ? r : RetryAfter(response) ?? now + DefaultRateLimitPause;
        _pauses.Pause(url.Authority, until);
        return until;
    }

    /// <summary>The standard Retry-After header: seconds from now, or an HTTP date.</summary>
    public DateTimeOffset? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => time.GetUtcNow() + delta,
        { Date: { } date } => date,
        _ => null,
    };

    /// <summary>404/410 not found, 401/403 unauthorized, 429 rate limited, 408 and 5xx transient, anything else malformed.</summary>
    public static SourceErrorKind KindOf(HttpStatusCode status) => (int)status switch
    {
        404 or 410 => SourceErrorKind.NotFound,
        401 or 403 => SourceErrorKind.Unauthorized,
        429 => SourceErrorKind.RateLimited,
        408 or >= 500 => SourceErrorKind.Transient,
        _ => SourceErrorKind.Malformed,
    };

    /// <summary>"{what}: HTTP 404 (Record not found)"; the server's own words are untrusted, so they are cut to one short line.</summary>
    public static SourceException Failure(HttpStatusCode status, string? what, string? serverSays, DateTimeOffset? retryAfter = null, SourceErrorKind? kind = null)
    {
        var detail = OneLine(serverSays);
        var message = $"{(string.IsNullOrEmpty(what) ? "" : what + ": ")}HTTP {(int)status}{(detail.Length > 0 ? $" ({detail})" : "")}";
        if (retryAfter is { } until) message += $", retry after {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}";
        return new SourceException(kind ?? KindOf(status), message, retryAfter);
    }

    /// <summary>An ISO 8601 timestamp (Mastodon's X-RateLimit-Reset) or Unix epoch seconds (Bluesky's RateLimit-Reset, X's x-rate-limit-reset).</summary>
    public static DateTimeOffset? ParseReset(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) && epoch > 0)
            return DateTimeOffset.FromUnixTimeSeconds(epoch);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>A body as a JSON document; an empty or unreadable one is a malformed answer.</summary>
    public static JsonDocument ParseJson(string body, string what, HttpStatusCode status)
    {
        if (string.IsNullOrWhiteSpace(body))
            throw new SourceException(SourceErrorKind.Malformed, $"{what}: empty response (HTTP {(int)status})");
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new SourceException(SourceErrorKind.Malformed, $"{what}: malformed JSON ({OneLine(ex.Message)})", inner: ex);
        }
    }

    /// <summary>A body as <typeparamref name="T"/>; an empty or unreadable one is a malformed answer.</summary>
    public static T Deserialize<T>(byte[] body, JsonTypeInfo<T> type, string what)
    {
        if (body.Length == 0) throw new SourceException(SourceErrorKind.Malformed, $"{what}: empty response");
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null document");
        }
        catch (JsonException ex)
        {
            throw new SourceException(SourceErrorKind.Malformed, $"{what}: malformed JSON ({OneLine(ex.Message)})", inner: ex);
        }
    }

    /// <summary>Untrusted text for an error message: one line, no control characters, at most 160 characters.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return clean.Length > 160 ? clean[..160] + "…" : clean;
    }
}
