namespace SolidarityTracker.Sources;

/// <summary>
/// The one exception a source throws: what happened, and until when to leave it alone. Every command words a failure
/// the same way, through <see cref="Detail"/>: the host that failed, what happened, and what to do about it.
/// </summary>
public sealed class SourceException(SourceErrorKind kind, string message, DateTimeOffset? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public SourceErrorKind Kind { get; } = kind;
    /// <summary>For rate limits: the earliest moment worth asking again.</summary>
    public DateTimeOffset? RetryAfter { get; } = retryAfter;

    public string KindName => NameOf(Kind);

    /// <summary>When the platform says the account itself is gone (<see cref="AccountGone"/>): it is asked again only about once a day.</summary>
    public string? Gone { get; init; }

    /// <summary>Whether the failure holds the whole platform (its token, its usage cap); source-health alerts key on it.</summary>
    public PlatformFailure PlatformFailure { get; init; }

    /// <summary>The host that answered (or did not), when known: "api.x.com", "127.0.0.1:5080".</summary>
    public string? Host { get; init; }

    /// <summary>What a person can do about it; each kind has its own unless the failure knows better.</summary>
    public string Advice
    {
        get => _advice ?? AdviceFor(Kind);
        init => _advice = value;
    }

    private readonly string? _advice;

    /// <summary>"host: what happened; what to do", as stored on the account's row and shown by check, poll, status and the digest.</summary>
    public string Detail => $"{(Host is null || Message.StartsWith(Host, StringComparison.OrdinalIgnoreCase) ? "" : Host + ": ")}{Message}; {Advice}";

    /// <summary>"kind: host: what happened; what to do".</summary>
    public string Wording => $"{KindName}: {Detail}";

    public static string AdviceFor(SourceErrorKind kind) => kind switch
    {
        SourceErrorKind.NotFound => "check the account's handle or feed URL in Tracker:Agencies",
        SourceErrorKind.Unauthorized => "check the platform's token (Sources:X:BearerToken for X) and that the account is public",
        SourceErrorKind.RateLimited => "nothing to do: it is asked again once the platform's limit resets",
        SourceErrorKind.Transient => "the next poll tries again; if it lasts, check the network and that the service is up",
        _ => "check that the account's BaseUrl or feed URL points at the service itself",
    };

    /// <summary>
    /// Any failure met while asking a source, as the one exception with the one wording; null for the caller's own
    /// cancellation, which is not a failure. Check and the poll cycle both go through here.
    /// </summary>
    public static SourceException? From(Exception ex, CancellationToken cancellationToken = default) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        SourceException source => source,
        OperationCanceledException => new SourceException(SourceErrorKind.Transient, "no answer within Polling:RequestTimeout", inner: ex)
        {
            Advice = "the next poll tries again; if it lasts, the service is overloaded or Polling:RequestTimeout is too short",
        },
        HttpRequestException http => Unreachable(http, null),
        IOException or System.Net.Sockets.SocketException => new SourceException(SourceErrorKind.Transient, $"the connection broke ({ex.Message})", inner: ex),
        System.Text.Json.JsonException or System.Xml.XmlException or FormatException =>
            new SourceException(SourceErrorKind.Malformed, $"the answer is not what the platform sends ({SourceHttp.OneLine(ex.Message)})", inner: ex),
        _ => new SourceException(SourceErrorKind.Transient, $"{ex.GetType().Name}: {SourceHttp.OneLine(ex.Message)}", inner: ex),
    };

    /// <summary>A request that got no answer at all: the host is named, and what to check depends on how it failed.</summary>
    public static SourceException Unreachable(HttpRequestException ex, string? host)
    {
        if (ex.StatusCode is { } status)
        {
            // EnsureSuccessStatusCode's exception: the status says what it is.
            var mapped = SourceHttp.Failure(status, "request", null);
            return new SourceException(mapped.Kind, mapped.Message, inner: ex) { Host = host };
        }
        var (what, advice) = ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => ("the host name does not resolve", "check the host in the handle or BaseUrl, and this machine's DNS"),
            HttpRequestError.ConnectionError => ("no connection (refused or unreachable)", "check that the service is up and the BaseUrl or feed URL names the right host and port; the next poll tries again"),
            HttpRequestError.SecureConnectionError => ("the TLS handshake failed", "check the URL's scheme (https or http) and the server's certificate"),
            HttpRequestError.ProxyTunnelError => ("the proxy refused the tunnel", "check the proxy settings (HTTPS_PROXY)"),
            _ => ($"the request failed ({SourceHttp.OneLine(ex.Message)})", AdviceFor(SourceErrorKind.Transient)),
        };
        return new SourceException(SourceErrorKind.Transient, what, inner: ex) { Host = host, Advice = advice };
    }

    /// <summary>A failure that says the account is gone: NotFound, with <see cref="Gone"/> set and advice of its own.</summary>
    public static SourceException AccountIsGone(string gone, string message) => new(SourceErrorKind.NotFound, message)
    {
        Gone = gone,
        Advice = $"the account is {gone} on the platform; it is asked again about once a day (remove it from Tracker:Agencies if it stays so)",
    };

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
