namespace SolidarityTracker.Configuration;

public sealed class RssOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
