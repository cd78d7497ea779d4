using System.Text.Json.Nodes;

namespace SolidarityTracker.Alerts;

/// <summary>
/// One Alerts:Webhooks entry. `json`: the alert itself (<see cref="AlertMessage"/>); `slack`: an incoming-webhook body,
/// `text` plus blocks; `teams`: an incoming-webhook message with an Adaptive Card. Every request carries the alert's id
/// as Idempotency-Key, the same on a resend. Any answer but 2xx, or none in time, is a failed delivery.
/// </summary>
public sealed class WebhookAlertChannel(string name, WebhookOptions options, HttpClient http, AlertTemplates templates) : IAlertChannel
{
    /// <summary>Slack refuses a section over 3,000 characters and a header over 150.</summary>
    private const int SlackSectionLimit = 3000, SlackHeaderLimit = 150;

    public string Name => name;

    public async Task SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = new StringContent(Body(message), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", message.Id);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AlertDeliveryException($"{name}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"{name}: no answer within {http.Timeout.TotalSeconds:0} s", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new AlertDeliveryException($"{name}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
        }
    }

    public string Body(AlertMessage message) => options.Format switch
    {
        "slack" => Slack(message),
        "teams" => Teams(message),
        _ => message.ToJson(),
    };

    private string Slack(AlertMessage message)
    {
        var text = templates.Render(AlertTemplates.Slack, message);
        var body = new JsonObject
        {
            // The notification line; blocks are what the channel shows.
            ["text"] = AlertTemplates.SlackEscape(message.Title),
            ["blocks"] = new JsonArray
            {
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(message.Title, SlackHeaderLimit), ["emoji"] = true } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(text, SlackSectionLimit) } },
            },
        };
        return body.ToJsonString();
    }

    private string Teams(AlertMessage message)
    {
        var text = templates.Render(AlertTemplates.Teams, message);
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = message.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = Cut(text, 20_000), ["wrap"] = true },
            },
        };
        var body = new JsonObject
        {
            ["type"] = "message",
            ["summary"] = message.Title,
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card } },
        };
        return body.ToJsonString();
    }

    private static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
