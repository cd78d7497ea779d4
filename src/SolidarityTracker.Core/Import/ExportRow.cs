namespace SolidarityTracker.Import;

/// <summary>
/// The export columns of PRODUCT.md (platform, post_id, agency_id, agency_name, account, created_at, url,
/// text, labels, *_score, is_repost, is_reply, lang) read back into a post. Labels and scores are not
/// read: the classifier labels every imported post afresh.
/// </summary>
internal static class ExportRow
{
    /// <summary>A post from the fields of one row, or the reason it is not one. <paramref name="field"/> gives null for an absent or empty field.</summary>
    public static ArchiveRecord ToRecord(int line, Func<string, string?> field, string? raw)
    {
        var platform = field("platform")?.Trim().ToLowerInvariant();
        if (platform is null) return ArchiveRecord.Bad(line, "missing platform");
        if (!Platforms.IsKnown(platform)) return ArchiveRecord.Bad(line, $"unknown platform '{platform}' (expected {string.Join(", ", Platforms.All)})");
        var postId = field("post_id")?.Trim();
        if (string.IsNullOrEmpty(postId)) return ArchiveRecord.Bad(line, "missing post_id");
        var text = field("text");
        if (string.IsNullOrWhiteSpace(text)) return ArchiveRecord.Bad(line, $"post {postId}: missing text");
        var createdText = field("created_at")?.Trim();
        if (string.IsNullOrEmpty(createdText)) return ArchiveRecord.Bad(line, $"post {postId}: missing created_at");
        if (!TryParseInstant(createdText, out var created))
            return ArchiveRecord.Bad(line, $"post {postId}: bad created_at '{Clip(createdText)}' (expected ISO 8601, e.g. 2016-07-17T14:05:00Z)");
        if (!TryParseFlag(field("is_repost"), out var isRepost)) return ArchiveRecord.Bad(line, $"post {postId}: bad is_repost '{Clip(field("is_repost"))}' (expected true or false)");
        if (!TryParseFlag(field("is_reply"), out var isReply)) return ArchiveRecord.Bad(line, $"post {postId}: bad is_reply '{Clip(field("is_reply"))}' (expected true or false)");

        var url = field("url")?.Trim();
        var post = new Post
        {
            Platform = platform,
            PostId = postId,
            AgencyId = field("agency_id")?.Trim() is { Length: > 0 } agency ? agency : null,
            Account = field("account")?.Trim() ?? "",
            CreatedAt = created,
            Url = WebLink.IsHttp(url) ? url : null,
            Text = text,
            IsRepost = isRepost,
            IsReply = isReply,
            Lang = field("lang")?.Trim() is { Length: > 0 } lang ? lang : null,
            RawJson = raw,
        };
        return ArchiveRecord.Ok(line, post, field("agency_name")?.Trim() is { Length: > 0 } name ? name : null);
    }

    /// <summary>ISO 8601; a time without an offset is taken as UTC, as the export writes it.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset value)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
        // Guard against "7/17/2016"-style dates the invariant parser also accepts: require a year first.
        return ok && text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-';
    }

    private static bool TryParseFlag(string? text, out bool value)
    {
        value = false;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "false" or "0" or "no": return true;
            case "true" or "1" or "yes": value = true; return true;
            default: return false;
        }
    }

    public static string Clip(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..39] + "…";
}
