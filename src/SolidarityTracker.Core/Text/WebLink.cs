namespace SolidarityTracker.Text;

/// <summary>Post text is untrusted: only absolute http/https URLs are ever stored as links or rendered as href/src.</summary>
public static class WebLink
{
    public static bool IsHttp(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && IsHttp(uri);

    public static bool IsHttp(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The URL, normalised, when it is absolute http/https, else null: the only kind that may become an href or an img src.</summary>
    public static string? SafeLink(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && IsHttp(uri) ? uri.AbsoluteUri : null;
}
