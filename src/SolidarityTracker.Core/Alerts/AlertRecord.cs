namespace SolidarityTracker.Alerts;

/// <summary>An alert in the outbox with how each channel's delivery stands.</summary>
public sealed record AlertRecord(string Id, string Kind, string Title, long? IncidentId, DateTimeOffset CreatedAt, bool Held, IReadOnlyList<AlertDeliveryState> Deliveries);
