using System.Security.Cryptography;
using SolidarityTracker.Digests;

namespace SolidarityTracker.Alerts;

/// <summary>The configured channels: the alert mail when Alerts:Email:Enabled, and every Alerts:Webhooks entry.</summary>
public sealed class AlertChannels(TrackerSettings settings, IHttpClientFactory http, AlertTemplates templates)
{
    public const string HttpClientName = "alerts";

    private IReadOnlyList<IAlertChannel>? _all;

    public IReadOnlyList<IAlertChannel> All => _all ??= Build();

    public IAlertChannel? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    /// <summary>The channel names, in configuration order, without building the channels.</summary>
    public static IReadOnlyList<string> Names(AlertsOptions options)
    {
        var names = new List<string>();
        if (options.Email.Enabled) names.Add("email");
        names.AddRange(options.Webhooks.Select(WebhookName));
        return names;
    }

    /// <summary>"slack:hooks.slack.com#3fa2c1": the format, the host and a short hash of the URL, which tells two webhooks of one host apart without showing the token in the path.</summary>
    public static string WebhookName(WebhookOptions hook)
    {
        var host = Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) ? uri.Authority : "invalid";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hook.Url)))[..6];
        return $"{hook.Format}:{host}#{hash}";
    }

    private List<IAlertChannel> Build()
    {
        var channels = new List<IAlertChannel>();
        if (settings.Alerts.Email.Enabled)
        {
            var email = settings.Digest.Email;
            var options = new EmailOptions
            {
                Enabled = true, Host = email.Host, Port = email.Port, UseTls = email.UseTls, Username = email.Username, Password = email.Password,
                From = email.From, To = settings.Alerts.Email.To,
            };
            channels.Add(new EmailAlertChannel(new DigestMailer(options), templates));
        }
        foreach (var hook in settings.Alerts.Webhooks)
            channels.Add(new WebhookAlertChannel(WebhookName(hook), hook, http.CreateClient(HttpClientName), templates));
        return channels;
    }
}
