namespace SolidarityTracker.Configuration;

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
