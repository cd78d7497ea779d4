namespace SolidarityTracker.Digests;

public sealed class DigestChart
{
    public required string Label { get; init; }
    public string Title => DigestModelBuilder.LabelLooks[Label].Title;
    public string Color => DigestModelBuilder.LabelLooks[Label].Color;
    public required int Total { get; init; }
    public required int Max { get; init; }
    /// <summary>One character per local hour, ▁ to █.</summary>
    public required string Sparkline { get; init; }
    /// <summary>Local hour (HH) of the busiest hour.</summary>
    public required string PeakHour { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>Baseline y of the bars inside the SVG.</summary>
    public required int Baseline { get; init; }
    public required IReadOnlyList<DigestChartBar> Bars { get; init; }
    /// <summary>Hour labels under the axis, every few hours.</summary>
    public required IReadOnlyList<DigestChartTick> Ticks { get; init; }
}
