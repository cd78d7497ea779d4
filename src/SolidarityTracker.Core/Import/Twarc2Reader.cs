using System.Net;
using System.Text.Json;
using SolidarityTracker.Model;

namespace SolidarityTracker.Import;

/// <summary>
/// twarc2 output: each line one X API v2 response page, {"data":[tweets],"includes":{"users":[…],"tweets":[…]},"meta":…}.
/// A retweet's own text is truncated ("RT @user: …"), so its full text comes from the retweeted tweet in
/// includes.tweets. Lines of `twarc2 flatten` output (one tweet a line, author and references inlined) are read too.
/// </summary>
internal sealed class Twarc2Reader : IArchiveReader
{
    public IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, CancellationToken cancellationToken) =>
        ArchiveLines.ReadObjectsAsync(stream, (line, root, _) => ReadPage(line, root), cancellationToken);

    private static IEnumerable<ArchiveRecord> ReadPage(int line, JsonElement root)
    {
        var users = new Dictionary<string, string>();
        var included = new Dictionary<string, JsonElement>();
        if (root.TryGetProperty("includes", out var includes) && includes.ValueKind == JsonValueKind.Object)
        {
            foreach (var user in Array(includes, "users"))
                if (ArchiveLines.Field(user, "id") is { } id && ArchiveLines.Field(user, "username") is { } name) users[id] = name;
            foreach (var tweet in Array(includes, "tweets"))
                if (ArchiveLines.Field(tweet, "id") is { } id) included[id] = tweet;
        }

        if (root.TryGetProperty("data", out var data))
        {
            // A user lookup answers with one object, a timeline with an array.
            var tweets = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
            foreach (var tweet in tweets) yield return ToRecord(line, tweet, users, included);
        }
        else if (root.TryGetProperty("id", out _) && root.TryGetProperty("text", out _))
        {
            yield return ToRecord(line, root, users, included);
        }
        else if (!root.TryGetProperty("meta", out _) && !root.TryGetProperty("errors", out _))
        {
            yield return ArchiveRecord.Bad(line, "not an X API v2 response page (no \"data\")");
        }
        // A page with only "meta" / "errors" (no results, or deleted tweets) holds nothing to import.
    }

    private static ArchiveRecord ToRecord(int line, JsonElement tweet, Dictionary<string, string> users, Dictionary<string, JsonElement> included)
    {
        if (tweet.ValueKind != JsonValueKind.Object) return ArchiveRecord.Bad(line, "a tweet that is not a JSON object");
        var id = ArchiveLines.Field(tweet, "id");
        if (id is null) return ArchiveRecord.Bad(line, "tweet without id");
        var text = FullText(tweet);
        if (text is null) return ArchiveRecord.Bad(line, $"tweet {id}: missing text");
        var createdText = ArchiveLines.Field(tweet, "created_at");
        if (createdText is null) return ArchiveRecord.Bad(line, $"tweet {id}: missing created_at (collect with tweet.fields=created_at)");
        if (!ExportRow.TryParseInstant(createdText, out var created)) return ArchiveRecord.Bad(line, $"tweet {id}: bad created_at '{ExportRow.Clip(createdText)}'");

        var username = AuthorOf(tweet, users);
        bool isRepost = false, isReply = ArchiveLines.Field(tweet, "in_reply_to_user_id") is not null;
        foreach (var reference in Array(tweet, "referenced_tweets"))
        {
            var type = ArchiveLines.Field(reference, "type");
            if (type == "replied_to") isReply = true;
            if (type != "retweeted") continue;
            isRepost = true;
            // twarc2 flatten inlines the referenced tweet; a raw page has it in includes.tweets.
            var original = reference.TryGetProperty("text", out _) ? reference
                : ArchiveLines.Field(reference, "id") is { } refId && included.TryGetValue(refId, out var found) ? found : (JsonElement?)null;
            if (original is { } o && FullText(o) is { } full)
                text = AuthorOf(o, users) is { } originalAuthor ? $"RT @{originalAuthor}: {full}" : full;
        }

        var post = new Post
        {
            Platform = Platforms.X,
            PostId = id,
            Account = username ?? ArchiveLines.Field(tweet, "author_id") ?? "",
            CreatedAt = created,
            Url = $"https://x.com/{username ?? "i"}/status/{id}",
            Text = text,
            IsRepost = isRepost,
            IsReply = isReply,
            Lang = ArchiveLines.Field(tweet, "lang") is { } lang && lang != "und" ? lang : null,
            RawJson = tweet.GetRawText(),
        };
        return ArchiveRecord.Ok(line, post);
    }

    /// <summary>A long post's whole text is in note_tweet; the API escapes &amp;, &lt; and &gt; in text.</summary>
    private static string? FullText(JsonElement tweet)
    {
        var text = tweet.TryGetProperty("note_tweet", out var note) && ArchiveLines.Field(note, "text") is { } long_ ? long_ : ArchiveLines.Field(tweet, "text");
        return string.IsNullOrWhiteSpace(text) ? null : WebUtility.HtmlDecode(text);
    }

    private static string? AuthorOf(JsonElement tweet, Dictionary<string, string> users) =>
        ArchiveLines.Field(tweet, "author_id") is { } authorId && users.TryGetValue(authorId, out var name) ? name
        : tweet.TryGetProperty("author", out var author) ? ArchiveLines.Field(author, "username")
        : null;

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
}
