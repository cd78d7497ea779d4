namespace SolidarityTracker.Sources;

/// <summary>A failure that holds every account of the platform, not only the one that met it.</summary>
public enum PlatformFailure
{
    /// <summary>The account's own failure.</summary>
    None,
    /// <summary>The platform refused the app's credentials (X: HTTP 401/403, or Sources:X:BearerToken unset or unusable).</summary>
    TokenRefused,
    /// <summary>The platform's usage cap is reached (X's 429 UsageCapExceeded): told apart from a rate limit, it lasts until the period ends.</summary>
    UsageCap,
}
