using System.Collections.Concurrent;

namespace SolidarityTracker.Sources;

/// <summary>
/// Rate limits of public APIs count per client address, not per account: when one account's answer says
/// the budget is spent, every account on that host waits until the reset instead of each earning its own 429.
/// </summary>
public sealed class RateLimitPauses
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.OrdinalIgnoreCase);

    public void Pause(string host, DateTimeOffset until) =>
        _until.AddOrUpdate(host, until, (_, current) => until > current ? until : current);

    /// <summary>Throws before a request is sent to a host that is still paused.</summary>
    public void ThrowIfPaused(string host, DateTimeOffset now, string what)
    {
        if (_until.TryGetValue(host, out var until) && until > now)
            throw new SourceException(SourceErrorKind.RateLimited,
                $"{what}: rate limit of {host} spent, waiting until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", until);
    }
}
