namespace SolidarityTracker.Digests;

/// <summary>A label's posts per local hour of the day: a sparkline and an SVG bar chart.</summary>
/// <param name="Sparkline">One character per local hour, ▁ to █.</param>
/// <param name="PeakHour">Local hour (HH) of the busiest hour.</param>
/// <param name="Baseline">Baseline y of the bars inside the SVG.</param>
/// <param name="Ticks">Hour labels under the axis, every few hours.</param>
public sealed record DigestChart(
    string Label,
    int Total,
    int Max,
    string Sparkline,
    string PeakHour,
    int Width,
    int Height,
    int Baseline,
    IReadOnlyList<DigestChartBar> Bars,
    IReadOnlyList<DigestChartTick> Ticks)
{
    public string Title => DigestModelBuilder.LabelLooks[Label].Title;
    public string Color => DigestModelBuilder.LabelLooks[Label].Color;
}
