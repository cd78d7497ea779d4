namespace SolidarityTracker.Digests;

public sealed class DigestLabelCount
{
    public required string Name { get; init; }
    public string Title => DigestModelBuilder.LabelLooks[Name].Title;
    public string Color => DigestModelBuilder.LabelLooks[Name].Color;
    public required int Count { get; init; }
    public required int Agencies { get; init; }
    public required int Previous { get; init; }
    public required string Change { get; init; }
}
