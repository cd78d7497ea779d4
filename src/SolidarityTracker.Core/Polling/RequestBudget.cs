namespace SolidarityTracker.Polling;

/// <summary>
/// Each platform's published request limit, kept on our side so the schedule never earns a 429 it could have
/// foreseen: a sliding window holds spending under the limit (less <see cref="Headroom"/>), and a bucket that fills
/// at the limit's pace spreads it over the window instead of spending it all in the first tick.
/// In memory: after a restart the platform's own rate-limit headers and 429s guard the first window.
/// </summary>
public sealed class RequestBudget(TimeProvider time)
{
    /// <summary>Share of a limit the schedule plans to use; the rest absorbs pages beyond the estimate.</summary>
    public const double Headroom = 0.9;
    /// <summary>How much of a window's spend the bucket may hold: a burst of a quarter window at most.</summary>
    private const double BurstShare = 0.25;

    private readonly Dictionary<string, Ledger> _ledgers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Takes <paramref name="cost"/> requests from the limit's budget, or says no without taking anything.</summary>
    public bool TryReserve(RequestLimit limit, int cost)
    {
        lock (_lock)
        {
            var ledger = LedgerOf(limit, time.GetUtcNow());
            if (ledger.Spent + cost > limit.Requests * Headroom || ledger.Tokens < cost) return false;
            ledger.Add(time.GetUtcNow(), cost);
            return true;
        }
    }

    /// <summary>Corrects a reservation by what the poll really cost (more pages, or an idle answer).</summary>
    public void Settle(RequestLimit limit, int reserved, int spent)
    {
        if (spent == reserved) return;
        lock (_lock) LedgerOf(limit, time.GetUtcNow()).Add(time.GetUtcNow(), spent - reserved);
    }

    /// <summary>Requests spent in the limit's current window.</summary>
    public int Spent(RequestLimit limit)
    {
        lock (_lock) return LedgerOf(limit, time.GetUtcNow()).Spent;
    }

    private Ledger LedgerOf(RequestLimit limit, DateTimeOffset now)
    {
        if (!_ledgers.TryGetValue(limit.Key, out var ledger)) _ledgers[limit.Key] = ledger = new Ledger(limit, now);
        ledger.Advance(now);
        return ledger;
    }

    /// <summary>The requests of one limit's window, oldest first, and the pacing bucket.</summary>
    private sealed class Ledger(RequestLimit limit, DateTimeOffset now)
    {
        private readonly Queue<(DateTimeOffset At, int Requests)> _spent = new();
        private readonly double _capacity = Math.Max(limit.Requests * Headroom * BurstShare, 1);
        private DateTimeOffset _filledAt = now;

        public int Spent { get; private set; }
        public double Tokens { get; private set; } = Math.Max(limit.Requests * Headroom * BurstShare, 1);

        public void Advance(DateTimeOffset now)
        {
            while (_spent.TryPeek(out var oldest) && oldest.At <= now - limit.Per)
            {
                Spent -= oldest.Requests;
                _spent.Dequeue();
            }
            if (now > _filledAt)
            {
                Tokens = Math.Min(_capacity, Tokens + limit.Requests * Headroom * ((now - _filledAt) / limit.Per));
                _filledAt = now;
            }
        }

        public void Add(DateTimeOffset at, int requests)
        {
            _spent.Enqueue((at, requests));
            Spent += requests;
            Tokens -= requests;
        }
    }
}
