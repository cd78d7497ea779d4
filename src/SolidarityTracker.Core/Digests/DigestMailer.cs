using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SolidarityTracker.Digests;

/// <summary>Mails one digest: the HTML as the body, the plain text as its alternative (multipart/alternative).</summary>
public sealed class DigestMailer(EmailOptions options)
{
    public IReadOnlyList<string> Recipients => options.To;

    public MimeMessage Compose(string subject, string html, string text)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(Address(options.From, "Digest:Email:From"));
        foreach (var to in options.To) message.To.Add(Address(to, "Digest:Email:To"));
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    /// <summary>Connects, authenticates when a username is set, sends. Failures throw with the host and port, never the password.</summary>
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var security = SettingsLoader.TlsMode(options.UseTls) switch
        {
            "tls" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(options.Host ?? "", options.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(options.Username))
                await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new DigestDeliveryException($"SMTP {options.Host}:{options.Port} ({SettingsLoader.TlsMode(options.UseTls)}): {Scrub(ex.Message)}", ex);
        }
    }

    // MailKit does not put the password in its messages; this is the belt to that braces.
    private string Scrub(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return string.IsNullOrEmpty(options.Password) ? line : line.Replace(options.Password, "***", StringComparison.Ordinal);
    }

    private static MailboxAddress Address(string? value, string key) =>
        MailboxAddress.TryParse(value ?? "", out var address)
            ? address
            : throw new BadInputException($"{key}: '{value}' is not an email address");
}
