using System.Globalization;
using System.Net;

namespace SolidarityTracker.Sources;

/// <summary>
/// How an HTTP answer that is not a success becomes the one <see cref="SourceException"/> the poll cycle
/// understands: 404/410 not found, 401/403 unauthorized, 429 rate limited, 5xx (and 408) transient.
/// </summary>
public static class HttpStatusMapping
{
    /// <summary>When a 429 names no reset time, how long to leave the service alone.</summary>
    public static readonly TimeSpan DefaultRateLimitPause = TimeSpan.FromMinutes(5);

    public static SourceErrorKind KindOf(HttpStatusCode status) => (int)status switch
    {
        404 or 410 => SourceErrorKind.NotFound,
        401 or 403 => SourceErrorKind.Unauthorized,
        429 => SourceErrorKind.RateLimited,
        408 or >= 500 => SourceErrorKind.Transient,
        _ => SourceErrorKind.Malformed,
    };

    /// <summary>"{what}: HTTP 404 (Record not found)"; the server's own words are untrusted, so they are cut to one short line.</summary>
    public static SourceException ToException(HttpStatusCode status, string what, string? serverSays, DateTimeOffset? retryAfter = null, SourceErrorKind? kind = null)
    {
        var detail = OneLine(serverSays);
        var message = $"{what}: HTTP {(int)status}{(detail.Length > 0 ? $" ({detail})" : "")}";
        if (retryAfter is { } until) message += $", retry after {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}";
        return new SourceException(kind ?? KindOf(status), message, retryAfter);
    }

    /// <summary>The standard Retry-After header: seconds or an HTTP date.</summary>
    public static DateTimeOffset? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is not { } header) return null;
        if (header.Delta is { } delta) return now + delta;
        return header.Date;
    }

    /// <summary>An ISO 8601 timestamp (Mastodon's X-RateLimit-Reset) or Unix epoch seconds (Bluesky's RateLimit-Reset).</summary>
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

    /// <summary>Untrusted text for an error message: one line, no control characters, at most 160 characters.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var clean = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return clean.Length > 160 ? clean[..160] + "…" : clean;
    }
}
