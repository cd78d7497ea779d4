using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;

namespace SolidarityTracker.Sources.X;

/// <summary>
/// One GET against X API v2: bearer token, rate-limit bookkeeping on every response, and every failure
/// turned into a SourceException. Messages name the endpoint and status, never the token.
/// </summary>
internal sealed class XApiClient(SourceHttp http, string baseUrl, string bearerToken, XRateLimits limits, TimeProvider time)
{
    public const string UserByUsername = "/2/users/by/username";
    public const string UserTweets = "/2/users/:id/tweets";
    public const string Users = "/2/users";

    public async Task<T> GetAsync<T>(string endpoint, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        limits.ThrowIfClosed(endpoint);
        var what = $"X {endpoint}";
        using var response = await http.GetAsync(new Uri(baseUrl.TrimEnd('/') + pathAndQuery), what, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }, cancellationToken);
        // X's window is per endpoint, not per host: XRateLimits keeps it, and a 429 ends at the endpoint's reset.
        var closedUntil = limits.Observe(endpoint, response.Headers, response.StatusCode == HttpStatusCode.TooManyRequests);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);

        if (response.StatusCode == HttpStatusCode.TooManyRequests && UsageCap(body, time.GetUtcNow()) is { } cap)
            throw new SourceException(SourceErrorKind.RateLimited, $"{what}: HTTP 429 usage cap reached ({cap.Reason}); no X request until {cap.Until:u}", cap.Until, cap)
            {
                PlatformFailure = PlatformFailure.UsageCap,
            };
        if (response.StatusCode == HttpStatusCode.BadRequest)
            throw new XBadRequestException(SourceHttp.Failure(response.StatusCode, what, Problem(body)).Message);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // X answers a refused app token (or an app without access to v2) this way; an account's own refusal comes as a 200 with errors.
            var refused = SourceHttp.Failure(response.StatusCode, what, Problem(body));
            throw new SourceException(refused.Kind, refused.Message) { PlatformFailure = PlatformFailure.TokenRefused };
        }
        if (!response.IsSuccessStatusCode)
            throw SourceHttp.Failure(response.StatusCode, what, Problem(body), response.StatusCode == HttpStatusCode.TooManyRequests ? closedUntil : null);
        return SourceHttp.Deserialize(body, type, what);
    }

    /// <summary>
    /// X's usage cap, told apart from a rate limit by its body: {"title":"UsageCapExceeded","period":"Monthly",
    /// "detail":"Usage cap exceeded: Monthly product cap",…}. It lasts until the period ends (UTC), not for 15 minutes.
    /// </summary>
    internal static XUsageCapException? UsageCap(byte[] body, DateTimeOffset now)
    {
        XProblem? problem;
        try
        {
            problem = JsonSerializer.Deserialize(body, XJsonContext.Default.XProblem);
        }
        catch (JsonException)
        {
            return null;
        }
        if (problem?.Title != "UsageCapExceeded" && problem?.Type?.EndsWith("/usage-capped", StringComparison.Ordinal) != true) return null;
        var utc = now.UtcDateTime;
        var until = problem.Period?.ToLowerInvariant() switch
        {
            "daily" => new DateTimeOffset(utc.Date.AddDays(1), TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1),
        };
        var reason = SourceHttp.OneLine(problem.Detail ?? $"{problem.Period} usage cap");
        return new XUsageCapException(reason, problem.Period ?? "Monthly", until);
    }

    /// <summary>The title and detail of a problem body, when it has one; bodies are X's words, never ours, so no secret is in them.</summary>
    private static string Problem(byte[] body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize(body, XJsonContext.Default.XProblem);
            return string.Join(": ", new[] { problem?.Title, problem?.Detail }.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct());
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
