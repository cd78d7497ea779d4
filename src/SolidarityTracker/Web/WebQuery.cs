using Microsoft.AspNetCore.Http;

namespace SolidarityTracker.Web;

/// <summary>
/// A web request's filters as the export's <see cref="PostQuery"/>, parsed with the command line's own rules
/// (CliOptions); a bad value is a <see cref="BadParameterException"/> naming the parameter. Pages call the text
/// query `q`, the API `query` (the export's option name).
/// </summary>
public sealed record WebQuery(PostQuery Query, IReadOnlyDictionary<string, string> Given)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static WebQuery Parse(IQueryCollection values, TrackerSettings settings, string textParameter, IReadOnlyList<string> extra, int defaultLimit)
    {
        string[] known = [textParameter, "from", "to", "label", "agency", "platform", "state", "limit", "cursor", .. extra];
        foreach (var key in values.Keys)
            if (!known.Contains(key))
                throw new BadParameterException(key, $"{key}: unknown parameter (expected {string.Join(", ", known)})");
        var given = known.Where(k => !string.IsNullOrWhiteSpace(values[k].ToString())).ToDictionary(k => k, k => values[k].ToString().Trim());
        string? Get(string key) => given.GetValueOrDefault(key);

        var from = Date(Get("from"), "from");
        var to = Date(Get("to"), "to");
        if (from is { } f && to is { } t && f > t) throw new BadParameterException("from", $"from {f:yyyy-MM-dd} is after to {t:yyyy-MM-dd}");
        var query = new PostQuery
        {
            FromUtc = from is { } fd ? LocalDay.StartOf(fd, settings.TimeZone) : null,
            ToUtc = to is { } td ? LocalDay.StartOf(td.AddDays(1), settings.TimeZone) : null,
            Label = Rule("label", () => CliOptions.ParseLabel(Get("label"), "label")),
            AgencyId = Get("agency"),
            Platform = Rule("platform", () => CliOptions.ParsePlatform(Get("platform"), "platform")),
            State = Get("state"),
            FullText = Get(textParameter),
            IncludeEvidence = false,
            Limit = Limit(Get("limit"), defaultLimit),
            After = Get("cursor") is { } cursor ? PostCursor.Decode(cursor) : null,
        };
        return new WebQuery(query, given);
    }

    private static DateOnly? Date(string? value, string parameter) => Rule(parameter, () => CliOptions.ParseDate(value, parameter));

    private static int Limit(string? value, int defaultLimit)
    {
        if (value is null) return defaultLimit;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit) return limit;
        throw new BadParameterException("limit", $"limit {value}: must be a whole number from 1 to {MaxLimit}");
    }

    private static T Rule<T>(string parameter, Func<T> parse)
    {
        try { return parse(); }
        catch (BadInputException ex) { throw new BadParameterException(parameter, ex.Message); }
    }

    /// <summary>The same filters as a query string, with some parameters replaced (null drops one).</summary>
    public string Link(string path, params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string>(Given);
        foreach (var (key, value) in changes)
            if (value is null) values.Remove(key); else values[key] = value;
        return values.Count == 0 ? path : path + QueryString.Create(values!).ToUriComponent();
    }
}
