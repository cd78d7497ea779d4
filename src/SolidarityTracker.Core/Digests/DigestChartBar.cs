namespace SolidarityTracker.Digests;

public sealed class DigestChartBar
{
    public required string Hour { get; init; }
    public required int Count { get; init; }
    public required double X { get; init; }
    public required double Y { get; init; }
    public required double Width { get; init; }
    public required double Height { get; init; }
}
