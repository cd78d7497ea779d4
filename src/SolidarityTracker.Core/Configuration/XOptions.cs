namespace SolidarityTracker.Configuration;

public sealed class XOptions
{
    public string BaseUrl { get; set; } = "https://api.x.com";
    /// <summary>Secret: from the environment or user secrets, never logged.</summary>
    public string? BearerToken { get; set; }
    /// <summary>The app's user-timeline budget per 15-minute window; the schedule stays under it.</summary>
    public int RequestsPer15Min { get; set; } = 1500;
    /// <summary>Posts X may bill for in a calendar month (UTC); unset means no monthly budget.</summary>
    public long? MonthlyPostReads { get; set; }
}
