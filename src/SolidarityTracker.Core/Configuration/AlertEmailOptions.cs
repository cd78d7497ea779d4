namespace SolidarityTracker.Configuration;

/// <summary>Alert mail goes through the SMTP server of Digest:Email, to these addresses.</summary>
public sealed class AlertEmailOptions
{
    public bool Enabled { get; set; }
    public List<string> To { get; set; } = [];
}
