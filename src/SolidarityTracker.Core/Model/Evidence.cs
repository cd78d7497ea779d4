namespace SolidarityTracker.Model;

/// <summary>A phrase or feature that moved a label's score.</summary>
public sealed record Evidence(string Label, string Phrase, double Weight);
