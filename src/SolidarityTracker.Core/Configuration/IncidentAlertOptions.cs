namespace SolidarityTracker.Configuration;

public sealed class IncidentAlertOptions
{
    public int MinAgencies { get; set; } = 3;
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(3);
    public TimeSpan UpdateEvery { get; set; } = TimeSpan.FromHours(1);
}
