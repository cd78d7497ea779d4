namespace SolidarityTracker.Digests;

public sealed class DigestChartTick
{
    public required string Text { get; init; }
    public required double X { get; init; }
}
