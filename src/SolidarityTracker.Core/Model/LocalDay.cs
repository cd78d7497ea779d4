namespace SolidarityTracker.Model;

/// <summary>Local calendar days in an IANA time zone, with daylight saving honoured (23- and 25-hour days).</summary>
public static class LocalDay
{
    /// <summary>The instants [start, end) of a local date: local midnight to the next local midnight.</summary>
    public static (DateTimeOffset FromUtc, DateTimeOffset ToUtc) Bounds(DateOnly date, TimeZoneInfo zone) =>
        (StartOf(date, zone), StartOf(date.AddDays(1), zone));

    /// <summary>The local date an instant falls on.</summary>
    public static DateOnly Of(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public static DateTimeOffset ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    /// <summary>An instant as a person reads it, with its zone's offset so it is never taken for another zone's: "2026-05-13 08:00 -04:00".</summary>
    public static string Stamp(DateTimeOffset instant, TimeZoneInfo zone) =>
        ToLocal(instant, zone).ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>First instant of a local date. Where midnight does not exist (a zone that springs forward at 00:00) the day starts when the clocks resume.</summary>
    public static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        // An ambiguous midnight (clocks fall back at 00:00) starts at its first occurrence, the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
