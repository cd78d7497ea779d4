namespace SolidarityTracker.Digests;

/// <summary>An hour label under a <see cref="DigestChart"/>'s axis, centred on x.</summary>
public sealed record DigestChartTick(string Text, double X);
