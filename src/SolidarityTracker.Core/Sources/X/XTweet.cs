namespace SolidarityTracker.Sources.X;

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
