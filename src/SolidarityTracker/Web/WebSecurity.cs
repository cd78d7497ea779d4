using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Web;

/// <summary>
/// Who may see what: with Web:Password the pages need the login cookie; with Web:ApiToken /api/* needs
/// `Authorization: Bearer` (without a token but with a password, the API takes the login cookie). /login, the
/// stylesheet and /healthz are always open. Every response carries a Content-Security-Policy that allows no script.
/// </summary>
public static class WebSecurity
{
    /// <summary>No script at all, styles only from our stylesheet, forms only to ourselves, never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static async Task Headers(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        await next(context);
    }

    private static readonly string[] OpenPaths = ["/login", "/style.css", "/healthz"];

    public static async Task Gate(HttpContext context, RequestDelegate next)
    {
        var web = context.RequestServices.GetRequiredService<TrackerSettings>().Web;
        var path = context.Request.Path;
        if (OpenPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        var loggedIn = context.User.Identity?.IsAuthenticated == true;
        if (path.StartsWithSegments("/api"))
        {
            var allowed = !string.IsNullOrEmpty(web.ApiToken)
                ? BearerMatches(context.Request.Headers.Authorization.ToString(), web.ApiToken)
                : string.IsNullOrEmpty(web.Password) || loggedIn;
            if (allowed) { await next(context); return; }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiEndpoints.Error(context, StatusCodes.Status401Unauthorized, null,
                string.IsNullOrEmpty(web.ApiToken) ? "log in first" : "send Authorization: Bearer <Web:ApiToken>");
            return;
        }
        if (string.IsNullOrEmpty(web.Password) || loggedIn)
        {
            await next(context);
            return;
        }
        var back = context.Request.Path + context.Request.QueryString;
        context.Response.Redirect("/login?return=" + Uri.EscapeDataString(back));
    }

    /// <summary>Compared in constant time, so the token cannot be guessed byte by byte from response times.</summary>
    public static bool SecretMatches(string? given, string secret) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static bool BearerMatches(string header, string token) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && SecretMatches(header["Bearer ".Length..].Trim(), token);

    /// <summary>Only a local path may be a place to go back to after logging in (no //host, no scheme).</summary>
    public static string LocalReturn(string? value) =>
        value is { Length: > 0 } v && v[0] == '/' && !v.StartsWith("//", StringComparison.Ordinal) && !v.StartsWith("/\\", StringComparison.Ordinal) ? v : "/";
}
