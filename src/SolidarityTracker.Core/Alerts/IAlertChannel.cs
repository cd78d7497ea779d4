namespace SolidarityTracker.Alerts;

/// <summary>One place alerts go (the alert mail, one webhook). Throws <see cref="AlertDeliveryException"/> when the message did not arrive.</summary>
public interface IAlertChannel
{
    /// <summary>What `alerts` prints and the delivery rows are keyed by; never the whole webhook URL (its token).</summary>
    string Name { get; }

    Task SendAsync(AlertMessage message, CancellationToken cancellationToken);
}
