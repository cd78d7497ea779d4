namespace SolidarityTracker.Alerts;

/// <summary>
/// One alert as the json webhook receives it (PRODUCT.md, "Live alerts"), stored as such in the outbox so every
/// channel and every resend says the same thing. Post text in it is untrusted, as everywhere.
/// </summary>
public sealed record AlertMessage
{
    public required string Id { get; init; }
    /// <summary>incident, incident_update, watch, source_failure, source_recovered (or test, from `alerts test`).</summary>
    public required string Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>When the alert was raised (the time it was written to the outbox), ISO 8601 UTC.</summary>
    public required string SentAt { get; init; }
    public long? IncidentId { get; init; }
    public IReadOnlyList<AlertAgency> Agencies { get; init; } = [];
    public IReadOnlyList<AlertPost> Posts { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AlertAccount? Account { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AlertMessage FromJson(string json) => JsonSerializer.Deserialize<AlertMessage>(json, Json)!;

    public const string Incident = "incident";
    public const string IncidentUpdate = "incident_update";
    public const string Watch = "watch";
    public const string SourceFailure = "source_failure";
    public const string SourceRecovered = "source_recovered";
    public const string Test = "test";
}
