namespace SolidarityTracker.Digests;

/// <summary>One local hour's bar of a <see cref="DigestChart"/>, placed inside its SVG.</summary>
public sealed record DigestChartBar(string Hour, int Count, double X, double Y, double Width, double Height);
