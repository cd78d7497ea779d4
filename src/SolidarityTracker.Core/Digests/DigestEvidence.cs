namespace SolidarityTracker.Digests;

public sealed class DigestEvidence
{
    public required string Label { get; init; }
    public required string Phrase { get; init; }
    public required double Weight { get; init; }
}
