using System.Text.Json.Serialization.Metadata;

namespace SolidarityTracker.Sources;

/// <summary>
/// An account's cursor as a source stores it: the source's own JSON on the account row, opaque to everyone else. One
/// reading for every source: no cursor, or one that is not the source's JSON (an older format, a hand edit), is no
/// cursor, and the next poll starts as a first poll; storing by (platform, post_id) makes that safe.
/// </summary>
public static class CursorJson
{
    /// <summary>A field the cursor does not have (null) is not written.</summary>
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static T? Read<T>(string? json) where T : class => ReadWith(json, text => JsonSerializer.Deserialize<T>(text, Options));

    /// <summary>The same, through a source-generated contract (X's).</summary>
    public static T? Read<T>(string? json, JsonTypeInfo<T> contract) where T : class => ReadWith(json, text => JsonSerializer.Deserialize(text, contract));

    public static string Write<T>(T cursor) => JsonSerializer.Serialize(cursor, Options);

    /// <summary>
    /// The account's stored cursor through the source's parse; one that is there but not understood reads as none and is
    /// said in the log, since the poll then starts over as a first poll.
    /// </summary>
    public static T? Stored<T>(AccountState account, Func<string?, T?> parse, ILogger logger) where T : class
    {
        var cursor = parse(account.Cursor);
        if (account.Cursor is not null && cursor is null)
            logger.LogWarning("{Platform} account {Handle}: stored cursor is not understood; polling as for the first time", account.Platform, account.Handle);
        return cursor;
    }

    private static T? ReadWith<T>(string? json, Func<string, T?> deserialize) where T : class
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            return deserialize(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
