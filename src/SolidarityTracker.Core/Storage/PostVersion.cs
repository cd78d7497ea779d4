namespace SolidarityTracker.Storage;

/// <summary>A text an edit replaced, and when the edit was seen.</summary>
public sealed record PostVersion(string Text, DateTimeOffset ReplacedAt);
