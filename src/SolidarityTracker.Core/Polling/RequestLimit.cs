namespace SolidarityTracker.Polling;

/// <summary>A published limit: <see cref="Requests"/> per <see cref="Per"/>, for everything sharing <see cref="Key"/> (a platform, an instance).</summary>
public sealed record RequestLimit(string Key, int Requests, TimeSpan Per);
