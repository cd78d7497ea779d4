namespace SolidarityTracker.Configuration;

public sealed class BlueskyOptions
{
    public string BaseUrl { get; set; } = "https://public.api.bsky.app";
    /// <summary>Bluesky's published limit for the public API: 3000 requests per 5 minutes per client address.</summary>
    public int RequestsPer5Min { get; set; } = 3000;
    /// <summary>A Jetstream WebSocket URL (wss://jetstream2.us-east.bsky.network/subscribe): stream posts instead of polling them; off when unset.</summary>
    public string? Jetstream { get; set; }
}
