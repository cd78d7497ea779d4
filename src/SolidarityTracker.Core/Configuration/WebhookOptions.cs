namespace SolidarityTracker.Configuration;

public sealed class WebhookOptions
{
    /// <summary>Secret in practice (a Slack or Teams webhook URL carries its token): never printed whole.</summary>
    public string Url { get; set; } = "";
    public string Format { get; set; } = "json";

    public static readonly IReadOnlyList<string> KnownFormats = ["json", "slack", "teams"];
}
