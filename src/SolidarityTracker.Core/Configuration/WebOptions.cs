namespace SolidarityTracker.Configuration;

/// <summary>The dashboard and JSON API (`serve`, and `run` with Enabled).</summary>
public sealed class WebOptions
{
    /// <summary>`run` serves the dashboard too.</summary>
    public bool Enabled { get; set; }
    /// <summary>Kestrel's listening URLs, `;`-separated.</summary>
    public string Urls { get; set; } = DefaultUrls;
    /// <summary>Secret: pages need a login with it. From the environment or user secrets, never logged.</summary>
    public string? Password { get; set; }
    /// <summary>Secret: /api/* needs `Authorization: Bearer` with it. From the environment or user secrets, never logged.</summary>
    public string? ApiToken { get; set; }

    public const string DefaultUrls = "http://127.0.0.1:5080";

    public IReadOnlyList<string> UrlList => Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
