namespace SolidarityTracker.Sources;

/// <summary>
/// The outermost handler of the sources' HTTP client: a request that got no answer at all (after the connection
/// retries) becomes the one <see cref="SourceException"/>, naming the host it was sent to, so every source, `check`
/// and `poll` word it alike.
/// </summary>
public sealed class UnreachableHostHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw SourceException.Unreachable(ex, HostOf(request.RequestUri));
        }
    }

    /// <summary>"api.x.com", or "127.0.0.1:5080" when the port is not the scheme's own.</summary>
    public static string? HostOf(Uri? uri) => uri is null ? null : uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
}
