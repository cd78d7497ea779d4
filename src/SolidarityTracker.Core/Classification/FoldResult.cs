namespace SolidarityTracker.Classification;

/// <summary>What folding corrections into a labelled file did.</summary>
public sealed record FoldResult(int Added, int Updated, int AlreadyThere, int Excluded);
