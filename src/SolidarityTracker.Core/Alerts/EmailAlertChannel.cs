using SolidarityTracker.Digests;

namespace SolidarityTracker.Alerts;

/// <summary>Alert mail through the digest's SMTP server: text and HTML from the alert templates, the subject naming the loss.</summary>
public sealed class EmailAlertChannel(DigestMailer mailer, AlertTemplates templates) : IAlertChannel
{
    public string Name => "email";

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        var mail = mailer.Compose(message.Title, templates.Render(AlertTemplates.Html, message), templates.Render(AlertTemplates.Text, message));
        // The same Message-Id on a resend lets a mail system drop the duplicate.
        mail.MessageId = $"{message.Id}@solidarity-tracker";
        try
        {
            await mailer.SendAsync(mail, cancellationToken);
        }
        catch (DigestDeliveryException ex)
        {
            throw new AlertDeliveryException(ex.Message, ex);
        }
    }
}
