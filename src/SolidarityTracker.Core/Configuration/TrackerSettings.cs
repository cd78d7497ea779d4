namespace SolidarityTracker.Configuration;

/// <summary>Everything the program reads from configuration, validated.</summary>
public sealed record TrackerSettings(
    TrackerOptions Tracker,
    SourcesOptions Sources,
    PollingOptions Polling,
    DigestOptions Digest,
    TimeZoneInfo TimeZone)
{
    public AlertsOptions Alerts { get; init; } = new();
    public WebOptions Web { get; init; } = new();
    public Classification.ClassifierThresholds Classifier { get; init; } = Classification.ClassifierThresholds.Default;
}
