namespace SolidarityTracker.Sources.X;

/// <summary>
/// Sources:X:MonthlyPostReads spread over the calendar month (local, Digest:TimeZone, as `status` counts it): by any moment, the posts read this month may be
/// the budget's share of the month gone by, plus one day's share. Each timeline request reserves what it asks for
/// (its max_results, 5 to 100) before it is sent and gives back what X did not return, so concurrent requests
/// together never ask for more than is left. Without a budget every request asks for 100.
/// </summary>
public sealed class XReadBudget(RunLog runs, TrackerSettings settings, TimeProvider time)
{
    /// <summary>X's own bounds for max_results on a user's timeline.</summary>
    public const int MinResults = 5, MaxResults = 100;

    private readonly Lock _lock = new();
    private DateTimeOffset? _month;
    private long _readBefore, _readSince, _reserved;

    public long? Monthly => settings.Sources.X.MonthlyPostReads;

    /// <summary>The max_results for the next request, reserved; null when the budget allows no read now.</summary>
    public int? TryReserve()
    {
        if (Monthly is null) return MaxResults;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var left = Allowed(now) - ReadThisMonthLocked(now) - _reserved;
            if (left < MinResults) return null;
            var take = (int)Math.Min(MaxResults, left);
            _reserved += take;
            return take;
        }
    }

    /// <summary>Gives back a reservation, counting the posts X returned for it.</summary>
    public void Settle(int reserved, int read)
    {
        if (Monthly is null) return;
        lock (_lock)
        {
            _reserved -= reserved;
            _readSince += read;
        }
    }

    /// <summary>Whether the schedule should ask X now at all.</summary>
    public bool CanRead(DateTimeOffset now)
    {
        if (Monthly is null) return true;
        lock (_lock) return Allowed(now) - ReadThisMonthLocked(now) - _reserved >= MinResults;
    }

    /// <summary>When the spread allowance will again cover one smallest request.</summary>
    public DateTimeOffset NextReadAt(DateTimeOffset now)
    {
        if (Monthly is not { } budget) return now;
        lock (_lock)
        {
            var needed = ReadThisMonthLocked(now) + _reserved + MinResults - budget / DaysIn(now);
            var (start, end) = Month(now, settings.TimeZone);
            if (needed >= budget) return end;
            var at = start + (end - start) * ((double)needed / budget);
            return at > now ? at : now;
        }
    }

    /// <summary>What may have been read by <paramref name="now"/>: the share of the month gone by, plus a day's share.</summary>
    public long Allowed(DateTimeOffset now)
    {
        if (Monthly is not { } budget) return long.MaxValue;
        var (start, end) = Month(now, settings.TimeZone);
        var fraction = (now - start) / (end - start);
        return Math.Min(budget, (long)(budget * fraction) + budget / DaysIn(now));
    }

    /// <summary>The month-end projection at this month's pace so far.</summary>
    public static long Projection(long readThisMonth, DateTimeOffset now, TimeZoneInfo zone)
    {
        var (start, end) = Month(now, zone);
        var elapsed = (now - start) / (end - start);
        return elapsed <= 0 ? readThisMonth : (long)Math.Round(readThisMonth / elapsed);
    }

    /// <summary>Posts read this month: the store's count when the month (or the process) began, plus what this process read since.</summary>
    private long ReadThisMonthLocked(DateTimeOffset now)
    {
        var (month, _) = Month(now, settings.TimeZone);
        if (_month != month)
        {
            _month = month;
            _readBefore = runs.UsageToDate(LocalDay.Of(now, settings.TimeZone)).FirstOrDefault(u => u.Platform == Platforms.X)?.ThisMonth.PostsRead ?? 0;
            _readSince = 0;
        }
        return _readBefore + _readSince;
    }

    private int DaysIn(DateTimeOffset now)
    {
        var today = LocalDay.Of(now, settings.TimeZone);
        return DateTime.DaysInMonth(today.Year, today.Month);
    }

    /// <summary>The local calendar month holding <paramref name="now"/>, as instants.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Month(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = LocalDay.Of(now, zone);
        var first = new DateOnly(today.Year, today.Month, 1);
        return (LocalDay.StartOf(first, zone), LocalDay.StartOf(first.AddMonths(1), zone));
    }
}
