namespace SolidarityTracker.Digests;

public sealed record DigestRequest(DateOnly Date, IReadOnlyList<string>? Formats = null, string? OutputDirectory = null, bool Send = false);
