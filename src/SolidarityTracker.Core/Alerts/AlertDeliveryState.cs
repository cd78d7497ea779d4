namespace SolidarityTracker.Alerts;

/// <summary>status: pending, sent or failed (given up after <see cref="AlertDispatcher.GiveUpAfter"/>).</summary>
public sealed record AlertDeliveryState(string Channel, string Status, int Attempts, DateTimeOffset? SentAt, DateTimeOffset NextAttemptAt, string? LastError);
