using System.Text.Json;
using System.Text.Json.Serialization;

namespace SolidarityTracker.Sources.X;

// The X API v2 response shapes this source reads (https://docs.x.com/x-api). Ids are strings: they exceed 2^53.

/// <summary>An entry of a response's `errors` array: partial errors ride on HTTP 200, problems on 4xx.</summary>
public sealed record XError(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("resource_type")] string? ResourceType,
    [property: JsonPropertyName("parameter")] string? Parameter,
    [property: JsonPropertyName("value")] string? Value);

public sealed record XUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("profile_image_url")] string? ProfileImageUrl);

public sealed record XReferencedTweet(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] string Id);

/// <summary>A post longer than 280 characters: its whole text (`text` is then cut).</summary>
public sealed record XNoteTweet([property: JsonPropertyName("text")] string? Text);

public sealed record XTweet(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("lang")] string? Lang,
    [property: JsonPropertyName("author_id")] string? AuthorId,
    [property: JsonPropertyName("in_reply_to_user_id")] string? InReplyToUserId,
    [property: JsonPropertyName("edit_history_tweet_ids")] IReadOnlyList<string>? EditHistoryTweetIds,
    [property: JsonPropertyName("referenced_tweets")] IReadOnlyList<XReferencedTweet>? ReferencedTweets,
    [property: JsonPropertyName("note_tweet")] XNoteTweet? NoteTweet);

public sealed record XIncludes(
    [property: JsonPropertyName("tweets")] IReadOnlyList<XTweet>? Tweets,
    [property: JsonPropertyName("users")] IReadOnlyList<XUser>? Users);

public sealed record XMeta(
    [property: JsonPropertyName("result_count")] int ResultCount,
    [property: JsonPropertyName("newest_id")] string? NewestId,
    [property: JsonPropertyName("oldest_id")] string? OldestId,
    [property: JsonPropertyName("next_token")] string? NextToken);

/// <summary>GET /2/users/by/username/:username</summary>
public sealed record XUserResponse(
    [property: JsonPropertyName("data")] XUser? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<XError>? Errors);

/// <summary>GET /2/users?ids=</summary>
public sealed record XUsersResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<XUser>? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<XError>? Errors);

/// <summary>GET /2/users/:id/tweets. `data` stays raw so each post keeps its JSON as served.</summary>
public sealed record XTimelineResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<JsonElement>? Data,
    [property: JsonPropertyName("includes")] XIncludes? Includes,
    [property: JsonPropertyName("meta")] XMeta? Meta,
    [property: JsonPropertyName("errors")] IReadOnlyList<XError>? Errors);

/// <summary>A 4xx/5xx problem body: {"title","detail","type","status"}.</summary>
public sealed record XProblem(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("period")] string? Period = null);

/// <summary>
/// Our own cursor: the newest id stored by a finished cycle, and while a cycle pages (newest to oldest)
/// the next page's token, the newest id that cycle has seen and the start_time it was asked with
/// (a pagination token belongs to the query it came from).
/// </summary>
public sealed record XCursor(
    [property: JsonPropertyName("since_id")] string? SinceId,
    [property: JsonPropertyName("pending")] XPendingPage? Pending)
{
    public static XCursor Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new XCursor(null, null);
        try { return JsonSerializer.Deserialize(json, XJsonContext.Default.XCursor) ?? new XCursor(null, null); }
        catch (JsonException) { return new XCursor(null, null); } // a cursor we cannot read is a first poll, not a dead account
    }

    public string ToJson() => JsonSerializer.Serialize(this, XJsonContext.Default.XCursor);
}

public sealed record XPendingPage(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("newest")] string? Newest,
    [property: JsonPropertyName("start_time")] string? StartTime);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(XUserResponse))]
[JsonSerializable(typeof(XUsersResponse))]
[JsonSerializable(typeof(XTimelineResponse))]
[JsonSerializable(typeof(XTweet))]
[JsonSerializable(typeof(XUser))]
[JsonSerializable(typeof(XIncludes))]
[JsonSerializable(typeof(XProblem))]
[JsonSerializable(typeof(XCursor))]
internal sealed partial class XJsonContext : JsonSerializerContext;
