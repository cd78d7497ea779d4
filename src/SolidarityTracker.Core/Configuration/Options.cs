namespace SolidarityTracker.Configuration;

// Bound from configuration at start-up and validated by SettingsLoader; property names are the keys of PRODUCT.md.

public sealed class TrackerOptions
{
    /// <summary>sqlite (the file <see cref="Database"/>, the default) or postgres (<see cref="ConnectionString"/>).</summary>
    public string Provider { get; set; } = Storage.StoreProviders.Sqlite;
    /// <summary>The Npgsql connection string with postgres; its password is better left to PGPASSWORD or ~/.pgpass.</summary>
    public string? ConnectionString { get; set; }
    public string Database { get; set; } = "solidarity.db";
    public List<AgencyOptions> Agencies { get; set; } = [];
}

public sealed class AgencyOptions
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? State { get; set; }
    public List<AccountOptions> Accounts { get; set; } = [];
}

public sealed class AccountOptions
{
    public string Platform { get; set; } = "";
    public string? Handle { get; set; }
    public string? Url { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>What identifies the account on its platform: the feed URL for rss, the handle elsewhere.</summary>
    public string Address => Platform == Model.Platforms.Rss ? Url ?? Handle ?? "" : Handle ?? "";
}

public sealed class SourcesOptions
{
    public XOptions X { get; set; } = new();
    public MastodonOptions Mastodon { get; set; } = new();
    public BlueskyOptions Bluesky { get; set; } = new();
    public RssOptions Rss { get; set; } = new();
}

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

public sealed class MastodonOptions
{
    /// <summary>Mastodon's default limit for unauthenticated requests: 300 per 5 minutes per instance.</summary>
    public int RequestsPer5Min { get; set; } = 300;
    /// <summary>When set, overrides the instance named by each handle (user@instance).</summary>
    public string? BaseUrl { get; set; }
}

public sealed class BlueskyOptions
{
    public string BaseUrl { get; set; } = "https://public.api.bsky.app";
    /// <summary>Bluesky's published limit for the public API: 3000 requests per 5 minutes per client address.</summary>
    public int RequestsPer5Min { get; set; } = 3000;
    /// <summary>A Jetstream WebSocket URL (wss://jetstream2.us-east.bsky.network/subscribe): stream posts instead of polling them; off when unset.</summary>
    public string? Jetstream { get; set; }
}

public sealed class RssOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class PollingOptions
{
    public string Cron { get; set; } = "0 * * * * ?";
    public int MaxConcurrency { get; set; } = 8;
    public int BackfillDays { get; set; } = 3;
    public TimeSpan ProfileInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>The shortest time between two checks of one account (a busy one).</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>The longest time between two checks of one account (a quiet one), errors aside.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>While an incident is open, every account is checked at least this often.</summary>
    public TimeSpan WaveInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Per-request timeout for every source.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class DigestOptions
{
    public string Cron { get; set; } = "0 0 7 * * ?";
    public string TimeZone { get; set; } = "America/New_York";
    /// <summary>Optional folder whose templates override the shipped ones file by file.</summary>
    public string? Templates { get; set; }
    public string OutputDirectory { get; set; } = "digests";
    public List<string> Formats { get; set; } = [];
    /// <summary>Posts each label section shows at most; its counts stay exact and it says where the rest are.</summary>
    public int MaxPostsPerSection { get; set; } = 50;
    public EmailOptions Email { get; set; } = new();

    public static readonly IReadOnlyList<string> KnownFormats = ["html", "md", "txt"];
    public IReadOnlyList<string> EffectiveFormats => Formats.Count > 0 ? Formats : KnownFormats;
}

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

public sealed class IncidentAlertOptions
{
    public int MinAgencies { get; set; } = 3;
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(3);
    public TimeSpan UpdateEvery { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A standing search: newly stored posts matching every criterion given (an empty list matches any).</summary>
public sealed class WatchOptions
{
    public string Name { get; set; } = "";
    /// <summary>A full-text query, as export's --query.</summary>
    public string? Query { get; set; }
    public List<string> Labels { get; set; } = [];
    public List<string> States { get; set; } = [];
    public List<string> Agencies { get; set; } = [];
    public List<string> Platforms { get; set; } = [];

    public bool HasCriteria => !string.IsNullOrWhiteSpace(Query) || Labels.Count + States.Count + Agencies.Count + Platforms.Count > 0;
}

/// <summary>Alert mail goes through the SMTP server of Digest:Email, to these addresses.</summary>
public sealed class AlertEmailOptions
{
    public bool Enabled { get; set; }
    public List<string> To { get; set; } = [];
}

public sealed class WebhookOptions
{
    /// <summary>Secret in practice (a Slack or Teams webhook URL carries its token): never printed whole.</summary>
    public string Url { get; set; } = "";
    public string Format { get; set; } = "json";

    public static readonly IReadOnlyList<string> KnownFormats = ["json", "slack", "teams"];
}

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

/// <summary>The classifier: the calibrated score each label must reach to fit (Classifier:Thresholds:condolence, :memorial, :safety_reminder).</summary>
public sealed class ClassifierOptions
{
    public Dictionary<string, double> Thresholds { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

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
