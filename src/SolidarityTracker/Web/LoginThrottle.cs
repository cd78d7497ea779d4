namespace SolidarityTracker.Web;

/// <summary>Five failed logins a minute from one address, then that address is refused until the minute has passed.</summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = [];

    public bool IsRefused(string address)
    {
        lock (_failures) return Recent(address).Count >= MaxFailures;
    }

    public void Fail(string address)
    {
        lock (_failures)
        {
            Recent(address).Enqueue(time.GetUtcNow());
            // Forget quiet addresses now and then, so the table stays small.
            if (_failures.Count > 10_000)
                foreach (var key in _failures.Keys.ToList()) if (Recent(key).Count == 0) _failures.Remove(key);
        }
    }

    private Queue<DateTimeOffset> Recent(string address)
    {
        if (!_failures.TryGetValue(address, out var queue)) _failures[address] = queue = new();
        var since = time.GetUtcNow() - Window;
        while (queue.Count > 0 && queue.Peek() <= since) queue.Dequeue();
        return queue;
    }
}
