namespace SolidarityTracker.Classification;

/// <summary>A post the classifier got wrong; Margin says how wrong (how far the worst wrong score is from 0.5).</summary>
public sealed record Mistake(LabelledPost Post, ClassificationResult Result, double Margin);
