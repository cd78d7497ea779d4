namespace SolidarityTracker.Digests;

public sealed class DigestAgencyRef
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? State { get; init; }
}
