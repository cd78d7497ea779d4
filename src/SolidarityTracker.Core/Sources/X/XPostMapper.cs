namespace SolidarityTracker.Sources.X;

/// <summary>
/// The one way an X API v2 post becomes a <see cref="Post"/>, for polling (<see cref="XSource"/>) and for the twarc2
/// import alike, so what the import proves on real recordings holds for polling too. One mapper reads one response
/// page: its <c>includes.users</c> and <c>includes.tweets</c> are what the page's posts refer to.
/// <list type="bullet">
/// <item>Text is HTML-escaped by X (<c>&amp;amp;</c>, <c>&amp;lt;</c>, <c>&amp;gt;</c>, nothing else) and unescaped exactly once;
/// a post longer than 280 characters has its whole text in <c>note_tweet.text</c>.</item>
/// <item>A repost ("retweeted") is "RT @author: " + the original's full text from includes.tweets (its own text is cut);
/// a quote keeps its text and then "Quoting @author: " and the quoted text.</item>
/// <item>An edited post (edit_history_tweet_ids longer than one) is stored under its original id, so the stored post is
/// updated and its earlier text kept in post_versions.</item>
/// </list>
/// </summary>
public sealed class XPostMapper
{
    private readonly Dictionary<string, XUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XTweet> _tweets = new(StringComparer.Ordinal);

    public XPostMapper(IEnumerable<XUser>? users, IEnumerable<XTweet>? tweets)
    {
        foreach (var user in users ?? []) if (!string.IsNullOrEmpty(user.Id)) _users.TryAdd(user.Id, user);
        foreach (var tweet in tweets ?? []) if (!string.IsNullOrEmpty(tweet.Id)) _tweets.TryAdd(tweet.Id, tweet);
    }

    public XPostMapper(XIncludes? includes) : this(includes?.Users, includes?.Tweets) { }

    public XUser? User(string? id) => id is not null && _users.TryGetValue(id, out var user) ? user : null;

    /// <param name="account">The account the post is stored under (the configured handle when polling).</param>
    /// <param name="username">The author's username for the post's link; null when unknown.</param>
    /// <param name="now">The date of a post that has none.</param>
    public Post Map(XTweet tweet, string rawJson, string account, string? agencyId, string? username, DateTimeOffset now)
    {
        var history = tweet.EditHistoryTweetIds;
        var edited = history is { Count: > 1 };
        var postId = edited && !string.IsNullOrEmpty(history![0]) ? history[0] : tweet.Id;
        var references = tweet.ReferencedTweets ?? [];
        var retweeted = Referenced(references, "retweeted");
        var quoted = Referenced(references, "quoted");

        var text = FullText(tweet);
        if (retweeted is not null)
            text = Attributed("RT", AuthorName(retweeted) ?? RepostedName(text), ": ", FullText(retweeted));
        else if (quoted is not null)
            text = text + "\n\n" + Attributed("Quoting", AuthorName(quoted), ": ", FullText(quoted));

        return new Post
        {
            Platform = Platforms.X,
            PostId = postId,
            AgencyId = agencyId,
            Account = account,
            CreatedAt = tweet.CreatedAt?.ToUniversalTime() ?? now,
            Url = $"https://x.com/{Uri.EscapeDataString(username ?? "i")}/status/{postId}",
            Text = text,
            IsRepost = references.Any(r => r.Type == "retweeted"),
            IsReply = tweet.InReplyToUserId is not null || references.Any(r => r.Type == "replied_to"),
            Lang = Language(tweet.Lang) ?? Language(retweeted?.Lang),
            RawJson = rawJson,
            EditedAt = edited ? tweet.CreatedAt?.ToUniversalTime() : null,
        };
    }

    /// <summary>The words of a post as its author wrote them: note_tweet's whole text for a long post, unescaped once.</summary>
    public static string FullText(XTweet tweet) => Unescape(tweet.NoteTweet?.Text ?? tweet.Text ?? "");

    /// <summary>
    /// X escapes exactly three characters in text: &amp; as &amp;amp;, &lt; as &amp;lt;, &gt; as &amp;gt;. One pass, so a post that
    /// says "&amp;amp;" (served as "&amp;amp;amp;") keeps it; no other entity is decoded, because X never encodes one.
    /// </summary>
    public static string Unescape(string text)
    {
        var at = text.IndexOf('&');
        if (at < 0) return text;
        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, at);
        for (var i = at; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '&')
            {
                var rest = text.AsSpan(i);
                if (rest.StartsWith("&amp;")) { builder.Append('&'); i += 4; continue; }
                if (rest.StartsWith("&lt;")) { builder.Append('<'); i += 3; continue; }
                if (rest.StartsWith("&gt;")) { builder.Append('>'); i += 3; continue; }
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    private XTweet? Referenced(IReadOnlyList<XReferencedTweet> references, string type) =>
        references.FirstOrDefault(r => r.Type == type) is { Id: not null } reference && _tweets.TryGetValue(reference.Id, out var tweet) ? tweet : null;

    private string? AuthorName(XTweet tweet) => User(tweet.AuthorId)?.Username;

    /// <summary>A repost's own text names whom it reposts ("RT @name: …"): the name when includes.users lacks the author.</summary>
    private static string? RepostedName(string ownText)
    {
        if (!ownText.StartsWith("RT @", StringComparison.Ordinal)) return null;
        var end = ownText.IndexOf(':', 4);
        return end > 4 ? ownText[4..end] : null;
    }

    private static string Attributed(string what, string? author, string separator, string text) =>
        author is null ? $"{what}{separator}{text}" : $"{what} @{author}{separator}{text}";

    /// <summary>"und" is X's "undetermined": no language, not a language.</summary>
    private static string? Language(string? lang) => string.IsNullOrEmpty(lang) || lang == "und" ? null : lang;
}
