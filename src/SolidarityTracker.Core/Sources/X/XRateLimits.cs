using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace SolidarityTracker.Sources.X;

/// <summary>
/// What X said of each endpoint's rate limit window. An app bearer token has one limit per endpoint shared by
/// every account, so once an endpoint says remaining 0 (or answers 429) nobody asks it again until its reset:
/// the accounts polled meanwhile are rate limited without a request. In memory: a restart asks once and learns again.
/// </summary>
public sealed class XRateLimits(TimeProvider time)
{
    /// <summary>Clocks differ; asking a little after the advertised reset avoids a second 429.</summary>
    public static readonly TimeSpan ResetSkew = TimeSpan.FromSeconds(5);
    /// <summary>When a 429 carries no reset header, X's windows are 15 minutes.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _closedUntil = new();

    /// <summary>Throws RateLimited when the endpoint's window is spent and has not reset yet.</summary>
    public void ThrowIfClosed(string endpoint)
    {
        if (_closedUntil.TryGetValue(endpoint, out var until))
        {
            if (time.GetUtcNow() < until)
                throw new SourceException(SourceErrorKind.RateLimited, $"X {endpoint}: rate limit spent until {until:u}", until);
            _closedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(endpoint, until));
        }
    }

    /// <summary>Reads x-rate-limit-remaining and x-rate-limit-reset off any response; returns when asking again is worthwhile if the window is spent.</summary>
    public DateTimeOffset? Observe(string endpoint, HttpResponseHeaders headers, bool tooManyRequests)
    {
        var reset = SourceHttp.ParseReset(Header(headers, "x-rate-limit-reset")) is { } at ? at + ResetSkew : (DateTimeOffset?)null;
        var remaining = Header(headers, "x-rate-limit-remaining")?.Trim();
        if (!tooManyRequests && remaining != "0") return null;
        var until = reset ?? time.GetUtcNow() + DefaultWindow;
        _closedUntil.AddOrUpdate(endpoint, until, (_, known) => until > known ? until : known);
        return until;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
