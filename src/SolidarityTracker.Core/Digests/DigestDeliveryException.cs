using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SolidarityTracker.Configuration;

namespace SolidarityTracker.Digests;

/// <summary>The digest files were written but mailing failed (SMTP down, refused, timed out): a runtime failure, exit 1.</summary>
public sealed class DigestDeliveryException(string message, Exception? inner = null) : IOException(message, inner);
