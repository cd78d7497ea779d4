namespace SolidarityTracker.Classification;

public sealed record ReliabilityTable(string Label, IReadOnlyList<ReliabilityBin> Bins, double Brier, double ExpectedCalibrationError);
