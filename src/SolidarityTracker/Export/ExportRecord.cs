using System.Text.Json;
using System.Text.Json.Serialization;
using SolidarityTracker.Model;

namespace SolidarityTracker.Export;

/// <summary>
/// One line of `export --format jsonl` read back: the export columns as JSON fields. This is the shape
/// `import --format jsonl` accepts; <see cref="ToPost"/> turns it into the model.
/// </summary>
public sealed record ExportRecord
{
    [JsonPropertyName(ExportColumns.Platform)] public string? Platform { get; init; }
    [JsonPropertyName(ExportColumns.PostId)] public string? PostId { get; init; }
    [JsonPropertyName(ExportColumns.AgencyId)] public string? AgencyId { get; init; }
    [JsonPropertyName(ExportColumns.AgencyName)] public string? AgencyName { get; init; }
    [JsonPropertyName(ExportColumns.Account)] public string? Account { get; init; }
    [JsonPropertyName(ExportColumns.CreatedAt)] public DateTimeOffset? CreatedAt { get; init; }
    [JsonPropertyName(ExportColumns.Url)] public string? Url { get; init; }
    [JsonPropertyName(ExportColumns.Text)] public string? Text { get; init; }
    [JsonPropertyName(ExportColumns.Labels)] public string? Labels { get; init; }
    [JsonPropertyName(ExportColumns.CondolenceScore)] public double? CondolenceScore { get; init; }
    [JsonPropertyName(ExportColumns.MemorialScore)] public double? MemorialScore { get; init; }
    [JsonPropertyName(ExportColumns.SafetyReminderScore)] public double? SafetyReminderScore { get; init; }
    [JsonPropertyName(ExportColumns.IsRepost)] public bool IsRepost { get; init; }
    [JsonPropertyName(ExportColumns.IsReply)] public bool IsReply { get; init; }
    [JsonPropertyName(ExportColumns.Lang)] public string? Lang { get; init; }

    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    /// <summary>Parses one JSONL line; throws JsonException when it is not an object of this shape.</summary>
    public static ExportRecord Parse(string line) =>
        JsonSerializer.Deserialize<ExportRecord>(line, Options) ?? throw new JsonException("expected a JSON object");

    /// <summary>The post this line describes, or why it cannot be one (a missing required field).</summary>
    public Post ToPost()
    {
        if (string.IsNullOrWhiteSpace(Platform)) throw new JsonException($"{ExportColumns.Platform} is missing");
        if (string.IsNullOrWhiteSpace(PostId)) throw new JsonException($"{ExportColumns.PostId} is missing");
        if (CreatedAt is not { } createdAt) throw new JsonException($"{ExportColumns.CreatedAt} is missing");
        return new Post
        {
            Platform = Platform,
            PostId = PostId,
            AgencyId = AgencyId,
            Account = Account ?? "",
            CreatedAt = createdAt.ToUniversalTime(),
            Url = Url,
            Text = Text ?? "",
            IsRepost = IsRepost,
            IsReply = IsReply,
            Lang = Lang,
        };
    }
}
