namespace SolidarityTracker.Configuration;

public sealed class EmailOptions
{
    public bool Enabled { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    /// <summary>"starttls" (default), "tls" for implicit TLS, or "none"; true means starttls, false none.</summary>
    public string UseTls { get; set; } = "starttls";
    public string? Username { get; set; }
    /// <summary>Secret: from the environment or user secrets, never logged.</summary>
    public string? Password { get; set; }
    public string? From { get; set; }
    public List<string> To { get; set; } = [];
}
