namespace SolidarityTracker.Digests;

public sealed class DigestMention
{
    public required string Name { get; init; }
    public required int Posts { get; init; }
    public required int Agencies { get; init; }
}
