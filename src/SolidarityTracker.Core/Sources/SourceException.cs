namespace SolidarityTracker.Sources;

public enum SourceErrorKind
{
    NotFound,
    Unauthorized,
    RateLimited,
    Transient,
    Malformed,
}

/// <summary>The one exception a source throws: what happened, and until when to leave it alone.</summary>
public sealed class SourceException(SourceErrorKind kind, string message, DateTimeOffset? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SourceErrorKind Kind { get; } = kind;
    /// <summary>For rate limits: the earliest moment worth asking again.</summary>
    public DateTimeOffset? RetryAfter { get; } = retryAfter;

    public string KindName => NameOf(Kind);

    /// <summary>The kind as stored on an account's row and printed: not_found, unauthorized, rate_limited, transient, malformed.</summary>
    public static string NameOf(SourceErrorKind kind) => kind switch
    {
        SourceErrorKind.NotFound => "not_found",
        SourceErrorKind.Unauthorized => "unauthorized",
        SourceErrorKind.RateLimited => "rate_limited",
        SourceErrorKind.Transient => "transient",
        SourceErrorKind.Malformed => "malformed",
        _ => kind.ToString(),
    };
}
