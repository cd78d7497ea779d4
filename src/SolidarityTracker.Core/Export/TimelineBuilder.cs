namespace SolidarityTracker.Export;

/// <summary>
/// `timeline`: the spread of solidarity over time. Buckets are local hours or days in Digest:TimeZone, daylight
/// saving honoured (a 23- or 25-hour day is one bucket; a fall-back night has two 01:00 hours). Empty buckets
/// between the first and the last are kept, so a plot's x axis is time.
/// </summary>
public sealed class TimelineBuilder(PostStore store, TimeZoneInfo zone)
{
    public static readonly IReadOnlyList<string> Granularities = ["hour", "day"];
    /// <summary>Keeps a mistyped range (years by the hour) from writing millions of empty rows.</summary>
    public const int MaxBuckets = 100_000;

    public async Task<TimelineReport> BuildAsync(PostQuery query, string by, CancellationToken cancellationToken = default)
    {
        var buckets = new SortedDictionary<DateTimeOffset, Counter>();
        await foreach (var stored in store.ExportRowsAsync(query, cancellationToken))
        {
            var start = BucketStart(stored.Post.CreatedAt, by);
            if (!buckets.TryGetValue(start, out var counter)) buckets[start] = counter = new Counter();
            counter.Add(stored);
        }
        var first = query.FromUtc is { } from ? BucketStart(from, by) : buckets.Keys.FirstOrDefault();
        var last = query.ToUtc is { } to ? to : buckets.Count > 0 ? buckets.Keys.Last().AddTicks(1) : first;
        var list = new List<TimelineBucket>();
        if (buckets.Count == 0 && query.FromUtc is null) return new TimelineReport(by, zone, list);
        for (var start = first; start < last; start = Next(start, by))
        {
            if (list.Count >= MaxBuckets)
                throw new BadInputException($"--by {by}: more than {MaxBuckets} buckets; narrow --from/--to or use --by day");
            list.Add(buckets.TryGetValue(start, out var c) ? c.ToBucket(start) : new TimelineBucket(start, 0, 0, 0, 0));
        }
        return new TimelineReport(by, zone, list);
    }

    /// <summary>The local start of the hour or day an instant falls in, as a local time with its offset.</summary>
    public DateTimeOffset BucketStart(DateTimeOffset instant, string by)
    {
        if (by == "day") return LocalDay.ToLocal(LocalDay.StartOf(LocalDay.Of(instant, zone), zone), zone);
        var local = LocalDay.ToLocal(instant, zone);
        // Whole local hours (zones such as Asia/Kolkata sit half an hour off UTC); the offset stays the instant's own.
        return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
    }

    private DateTimeOffset Next(DateTimeOffset start, string by) =>
        by == "day"
            ? LocalDay.ToLocal(LocalDay.StartOf(DateOnly.FromDateTime(start.DateTime).AddDays(1), zone), zone)
            : BucketStart(start.AddHours(1), by);

    private sealed class Counter
    {
        private readonly HashSet<string> _condolence = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _memorial = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _safety = new(StringComparer.OrdinalIgnoreCase);
        private int _posts;

        public void Add(StoredPost stored)
        {
            _posts++;
            // An imported post may have no agency; its account stands in for one.
            var agency = stored.Post.AgencyId ?? $"{stored.Post.Platform}:{stored.Post.Account}";
            if (stored.Classification.Has(Labels.Condolence)) _condolence.Add(agency);
            if (stored.Classification.Has(Labels.Memorial)) _memorial.Add(agency);
            if (stored.Classification.Has(Labels.SafetyReminder)) _safety.Add(agency);
        }

        public TimelineBucket ToBucket(DateTimeOffset start) => new(start, _condolence.Count, _memorial.Count, _safety.Count, _posts);
    }
}
