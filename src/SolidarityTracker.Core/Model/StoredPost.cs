namespace SolidarityTracker.Model;

/// <summary>A stored post with what the classifier said of it.</summary>
public sealed record StoredPost
{
    public required long Id { get; init; }
    public required Post Post { get; init; }
    public string? AgencyName { get; init; }
    public string? AgencyState { get; init; }
    public required ClassificationResult Classification { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
}
