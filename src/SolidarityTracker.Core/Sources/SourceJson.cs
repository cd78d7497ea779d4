namespace SolidarityTracker.Sources;

/// <summary>Reading the fields of a platform's JSON the same way everywhere: a field of the wrong type is absent, not a crash.</summary>
public static class SourceJson
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An object-valued field, or default (ValueKind Undefined) when there is none.</summary>
    public static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    /// <summary>An ISO 8601 instant, in UTC; null when absent or unreadable.</summary>
    public static DateTimeOffset? Time(JsonElement element, string name) =>
        String(element, name) is { } value
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at.ToUniversalTime()
            : null;

    /// <summary>A field the answer cannot do without (an id): a string, or a number written as one; else the answer is malformed.</summary>
    public static string Required(JsonElement element, string name, string what)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value))
        {
            if (value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(value.GetString())) return value.GetString()!;
            if (value.ValueKind == JsonValueKind.Number) return value.GetRawText();
        }
        throw new SourceException(SourceErrorKind.Malformed, $"malformed response: {what} without \"{name}\"");
    }
}
