namespace SolidarityTracker.Alerts;

/// <summary>A channel refused or could not take a message (an HTTP 500, a timeout, SMTP down): the dispatcher tries again later.</summary>
public sealed class AlertDeliveryException(string message, Exception? inner = null) : IOException(message, inner);
