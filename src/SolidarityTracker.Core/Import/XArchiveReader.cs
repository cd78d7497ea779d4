namespace SolidarityTracker.Import;

/// <summary>
/// The X account archive's data/tweets.js: `window.YTD.tweets.part0 = [ {"tweet": {…}}, … ]`, API v1.1
/// tweets (id_str, full_text, created_at like "Sun Jul 17 14:05:00 +0000 2016"). The tweets do not name
/// their author; the archive's account.js beside tweets.js does, else the caller's fallback handle.
/// </summary>
internal sealed class XArchiveReader(string? fallbackUsername) : IArchiveReader
{
    public async IAsyncEnumerable<ArchiveRecord> ReadAsync(Stream stream, string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var username = await ArchiveOwnerAsync(file, cancellationToken) ?? fallbackUsername;
        await foreach (var element in JsonArrayStream.ReadAsync(stream, cancellationToken))
        {
            if (element.Error is not null)
            {
                yield return ArchiveRecord.Bad(element.Line, element.Error);
                continue;
            }
            yield return ToRecord(element.Line, element.Value!.Value, username);
        }
    }

    internal static ArchiveRecord ToRecord(int line, JsonElement element, string? username)
    {
        var tweet = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("tweet", out var inner) ? inner : element;
        if (tweet.ValueKind != JsonValueKind.Object) return ArchiveRecord.Bad(line, "a record that is not a JSON object");
        var id = ArchiveLines.Field(tweet, "id_str") ?? ArchiveLines.Field(tweet, "id");
        if (id is null) return ArchiveRecord.Bad(line, "tweet without id_str");
        var text = ArchiveLines.Field(tweet, "full_text") ?? ArchiveLines.Field(tweet, "text");
        if (string.IsNullOrWhiteSpace(text)) return ArchiveRecord.Bad(line, $"tweet {id}: missing full_text");
        var createdText = ArchiveLines.Field(tweet, "created_at");
        if (createdText is null) return ArchiveRecord.Bad(line, $"tweet {id}: missing created_at");
        if (!TryParseCreatedAt(createdText, out var created))
            return ArchiveRecord.Bad(line, $"tweet {id}: bad created_at '{ExportRow.Clip(createdText)}' (expected like \"Sun Jul 17 14:05:00 +0000 2016\")");

        // v1.1 text escapes &, < and >.
        text = WebUtility.HtmlDecode(text);
        var post = new Post
        {
            Platform = Platforms.X,
            PostId = id,
            Account = username ?? "",
            CreatedAt = created,
            Url = $"https://x.com/{username ?? "i"}/status/{id}",
            Text = text,
            IsRepost = ArchiveLines.Field(tweet, "retweeted") == "true" || text.StartsWith("RT @", StringComparison.Ordinal),
            IsReply = ArchiveLines.Field(tweet, "in_reply_to_status_id_str") is not null,
            Lang = ArchiveLines.Field(tweet, "lang") is { } lang && lang != "und" ? lang : null,
            RawJson = tweet.GetRawText(),
        };
        return ArchiveRecord.Ok(line, post);
    }

    private static readonly string[] CreatedAtFormats = ["ddd MMM dd HH:mm:ss zzz yyyy", "ddd MMM d HH:mm:ss zzz yyyy"];

    internal static bool TryParseCreatedAt(string text, out DateTimeOffset value)
    {
        if (DateTimeOffset.TryParseExact(text.Trim(), CreatedAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out value))
            return true;
        // Some archive tools rewrite dates as ISO 8601.
        return ExportRow.TryParseInstant(text.Trim(), out value);
    }

    /// <summary>The username in account.js beside tweets.js (`window.YTD.account.part0 = [{"account":{"username":…}}]`), if there is one.</summary>
    private static async Task<string?> ArchiveOwnerAsync(string file, CancellationToken cancellationToken)
    {
        var accountFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "account.js");
        if (!File.Exists(accountFile)) return null;
        try
        {
            await using var stream = File.OpenRead(accountFile);
            await foreach (var element in JsonArrayStream.ReadAsync(stream, cancellationToken))
            {
                if (element.Value is not { } value) return null;
                var account = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("account", out var a) ? a : value;
                return ArchiveLines.Field(account, "username");
            }
        }
        catch (IOException)
        {
            // account.js is a convenience; without it the tweets still import.
        }
        return null;
    }
}
