namespace SolidarityTracker.Configuration;

public sealed class AlertsOptions
{
    public IncidentAlertOptions Incident { get; set; } = new();
    public List<WatchOptions> Watches { get; set; } = [];
    /// <summary>Cycles in a row an account may fail before a source_failure alert.</summary>
    public int FailureThreshold { get; set; } = 5;
    public AlertEmailOptions Email { get; set; } = new();
    public List<WebhookOptions> Webhooks { get; set; } = [];
    /// <summary>How long one send (a webhook request, an SMTP session) may take before it counts as failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
