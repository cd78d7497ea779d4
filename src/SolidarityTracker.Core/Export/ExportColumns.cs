namespace SolidarityTracker.Export;

/// <summary>
/// The export columns of PRODUCT.md, in order: CSV headers and JSON field names alike. Part of the product's
/// contract (`import --format jsonl` reads these very names), so never rename or reorder them. docs/export-columns.md
/// is their data dictionary (type, meaning, example): a column added here is described there too, or a test fails.
/// </summary>
public static class ExportColumns
{
    public const string Platform = "platform";
    public const string PostId = "post_id";
    public const string AgencyId = "agency_id";
    public const string AgencyName = "agency_name";
    public const string Account = "account";
    public const string CreatedAt = "created_at";
    public const string Url = "url";
    public const string Text = "text";
    public const string Labels = "labels";
    public const string CondolenceScore = "condolence_score";
    public const string MemorialScore = "memorial_score";
    public const string SafetyReminderScore = "safety_reminder_score";
    public const string IsRepost = "is_repost";
    public const string IsReply = "is_reply";
    public const string Lang = "lang";

    public static readonly IReadOnlyList<string> All =
    [
        Platform, PostId, AgencyId, AgencyName, Account, CreatedAt, Url, Text, Labels,
        CondolenceScore, MemorialScore, SafetyReminderScore, IsRepost, IsReply, Lang,
    ];

    /// <summary>created_at as ISO 8601 UTC with Z and whole seconds, e.g. 2016-07-17T13:45:00Z.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Scores keep four decimals: enough to rank, short enough to read.</summary>
    public static double Score(double value) => Math.Round(value, 4);
}
