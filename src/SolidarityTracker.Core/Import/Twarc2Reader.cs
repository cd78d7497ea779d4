using System.Text.Json.Serialization.Metadata;
using SolidarityTracker.Sources.X;

namespace SolidarityTracker.Import;

/// <summary>
/// twarc2 output: each line one X API v2 response page, {"data":[tweets],"includes":{"users":[…],"tweets":[…]},"meta":…}.
/// Each tweet is mapped by <see cref="XPostMapper"/>, the mapping polling uses. Lines of `twarc2 flatten` output
/// (one tweet a line, author and references inlined) are read too.
/// </summary>
internal sealed class Twarc2Reader : IArchiveReader
{
    public IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, CancellationToken cancellationToken) =>
        ArchiveLines.ReadObjectsAsync(stream, (line, root, _) => ReadPage(line, root), cancellationToken);

    private static IEnumerable<ArchiveRecord> ReadPage(int line, JsonElement root)
    {
        if (root.TryGetProperty("data", out var data))
        {
            var includes = root.TryGetProperty("includes", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
            var mapper = new XPostMapper(Objects(includes, "users", XJsonContext.Default.XUser), Objects(includes, "tweets", XJsonContext.Default.XTweet));
            // A user lookup answers with one object, a timeline with an array.
            var tweets = data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [data];
            foreach (var tweet in tweets) yield return ToRecord(line, tweet, mapper);
        }
        else if (root.TryGetProperty("id", out _) && root.TryGetProperty("text", out _))
        {
            yield return ToRecord(line, root, Flattened(root));
        }
        else if (!root.TryGetProperty("meta", out _) && !root.TryGetProperty("errors", out _))
        {
            yield return ArchiveRecord.Bad(line, "not an X API v2 response page (no \"data\")");
        }
        // A page with only "meta" / "errors" (no results, or deleted tweets) holds nothing to import.
    }

    private static ArchiveRecord ToRecord(int line, JsonElement element, XPostMapper mapper)
    {
        if (element.ValueKind != JsonValueKind.Object) return ArchiveRecord.Bad(line, "a tweet that is not a JSON object");
        var id = ArchiveLines.Field(element, "id");
        if (id is null) return ArchiveRecord.Bad(line, "tweet without id");
        if (string.IsNullOrWhiteSpace(ArchiveLines.Field(element, "text"))) return ArchiveRecord.Bad(line, $"tweet {id}: missing text");
        var createdText = ArchiveLines.Field(element, "created_at");
        if (createdText is null) return ArchiveRecord.Bad(line, $"tweet {id}: missing created_at (collect with tweet.fields=created_at)");
        if (!ExportRow.TryParseInstant(createdText, out var created)) return ArchiveRecord.Bad(line, $"tweet {id}: bad created_at '{ExportRow.Clip(createdText)}'");
        XTweet tweet;
        try
        {
            tweet = element.Deserialize(XJsonContext.Default.XTweet)! with { CreatedAt = created };
        }
        catch (JsonException ex)
        {
            return ArchiveRecord.Bad(line, $"tweet {id}: not an X API v2 tweet ({ex.Message.Split(". ")[0]})");
        }
        var username = mapper.User(tweet.AuthorId)?.Username;
        var post = mapper.Map(tweet, element.GetRawText(), username ?? tweet.AuthorId ?? "", agencyId: null, username, created);
        return ArchiveRecord.Ok(line, post);
    }

    /// <summary>`twarc2 flatten` inlines what a page has in includes: the author, and each referenced tweet with its author.</summary>
    private static XPostMapper Flattened(JsonElement tweet)
    {
        var users = new List<XUser>();
        var tweets = new List<XTweet>();
        if (Object(tweet, "author", XJsonContext.Default.XUser) is { } author) users.Add(author);
        foreach (var reference in Array(tweet, "referenced_tweets"))
        {
            if (!reference.TryGetProperty("text", out _) || Object(reference, null, XJsonContext.Default.XTweet) is not { } inlined) continue;
            tweets.Add(inlined);
            if (Object(reference, "author", XJsonContext.Default.XUser) is { } referencedAuthor) users.Add(referencedAuthor);
        }
        return new XPostMapper(users, tweets);
    }

    /// <summary>The readable objects of an array; one odd entry in includes costs that entry, not the page.</summary>
    private static IEnumerable<T> Objects<T>(JsonElement parent, string name, JsonTypeInfo<T> type) where T : class =>
        Array(parent, name).Select(element => Object(element, null, type)).OfType<T>().ToList();

    private static T? Object<T>(JsonElement element, string? name, JsonTypeInfo<T> type) where T : class
    {
        if (name is not null && !(element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out element))) return null;
        if (element.ValueKind != JsonValueKind.Object) return null;
        try { return element.Deserialize(type); }
        catch (JsonException) { return null; }
    }

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];
}
