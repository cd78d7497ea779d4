namespace SolidarityTracker.Export;

/// <summary>One local hour or day: how many distinct agencies posted each label in it, and how many posts there were.</summary>
public sealed record TimelineBucket(DateTimeOffset Start, int CondolenceAgencies, int MemorialAgencies, int SafetyReminderAgencies, int Posts)
{
    /// <summary>Local ISO 8601 with its offset, e.g. 2016-07-17T09:00:00-04:00; the offset tells the two 01:00 hours of a fall-back night apart.</summary>
    public string StartText => Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public int Agencies(string label) => label switch
    {
        Labels.Condolence => CondolenceAgencies,
        Labels.Memorial => MemorialAgencies,
        Labels.SafetyReminder => SafetyReminderAgencies,
        _ => 0,
    };
}
