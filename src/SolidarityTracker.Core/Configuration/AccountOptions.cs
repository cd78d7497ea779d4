namespace SolidarityTracker.Configuration;

public sealed class AccountOptions
{
    public string Platform { get; set; } = "";
    public string? Handle { get; set; }
    public string? Url { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>What identifies the account on its platform: the feed URL for rss, the handle elsewhere.</summary>
    public string Address => Platform == Model.Platforms.Rss ? Url ?? Handle ?? "" : Handle ?? "";
}
