namespace SolidarityTracker.Classification;

/// <summary>
/// One pass over a post: lower-cases and folds accents (é = e, œ = oe), drops URLs, splits hashtags at
/// capitals (#BackTheBlue = back the blue, #PoliceWeek2025 = police week 2025), splits words at
/// apostrophes and hyphens (don't = don t), keeps emoji as tokens and marks sentence ends.
/// The lexicon's phrases go through the same pass, so both sides always agree.
/// </summary>
internal static class PostTokenizer
{
    public const int MaxWord = 48;

    // Lower-case, accent-free form of every Latin character below U+0250 ('\0' = not a letter we fold).
    private static readonly char[] Fold = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x250];
        for (var c = 0; c < table.Length; c++)
        {
            var ch = (char)c;
            if (!char.IsLetterOrDigit(ch)) continue;
            var decomposed = ch.ToString().Normalize(NormalizationForm.FormD);
            table[c] = char.ToLowerInvariant(decomposed[0]);
        }
        return table;
    }

    public static void Tokenize<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, ITokenSink
    {
        Span<char> word = stackalloc char[MaxWord];
        var length = 0;
        var wordStart = 0;
        var lastLength = 0;
        var hashtag = false;
        var lastWasBoundary = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                if (length == 0 && !hashtag && StartsUrl(text, i))
                {
                    while (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1])) i++;
                    continue;
                }
                if (hashtag && length > 0 && SplitsHashtag(text, i)) Flush(word, ref length, ref lastLength, ref sink, ref lastWasBoundary, wordStart, i);
                if (length == 0) wordStart = i;
                if (c is 'œ' or 'Œ' or 'æ' or 'Æ')
                {
                    Append(word, ref length, c is 'œ' or 'Œ' ? 'o' : 'a');
                    Append(word, ref length, 'e');
                }
                else
                {
                    Append(word, ref length, c < Fold.Length && Fold[c] != '\0' ? Fold[c] : char.ToLowerInvariant(c));
                }
                continue;
            }

            var afterWord = length > 0;
            Flush(word, ref length, ref lastLength, ref sink, ref lastWasBoundary, wordStart, i);
            hashtag = false;
            if (c == '#' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
            {
                hashtag = true;
            }
            else if (c == '@' && i + 1 < text.Length && IsHandleChar(text[i + 1]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
            {
                var start = i + 1;
                var end = start;
                while (end < text.Length && (IsHandleChar(text[end]) || (text[end] is '.' or '@' or '-' && end + 1 < text.Length && IsHandleChar(text[end + 1])))) end++;
                var handleLength = Math.Min(end - start, MaxWord);
                for (var k = 0; k < handleLength; k++) word[k] = char.ToLowerInvariant(text[start + k]);
                sink.Mention(word[..handleLength], i, end);
                lastWasBoundary = false;
                i = end - 1;
            }
            else if (c is '.' or '!' or '?' or ';' or ':' or '\n' or '•' or '|' or '—' && (c is '\n' or '•' or '|' or '—' || i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1]) || text[i + 1] is '"' or '\'' or ')' or '”'))
            {
                // "Sgt. Haddad", "J. Smith", "Rte. 9": the period of an abbreviation ends no sentence.
                if (c == '.' && afterWord && IsAbbreviation(word[..lastLength])) continue;
                if (!lastWasBoundary) sink.Boundary();
                lastWasBoundary = true;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                // Skin tones only colour the emoji before them.
                if (codePoint is < 0x1F3FB or > 0x1F3FF) { sink.Symbol(text.Slice(i, 2), i, i + 2); lastWasBoundary = false; }
                i++;
            }
            else if (c is not ('\uFE0F' or '\u200D' or '\uFE0E') && IsSymbol(c))
            {
                sink.Symbol(text.Slice(i, 1), i, i + 1);
                lastWasBoundary = false;
            }
        }
        Flush(word, ref length, ref lastLength, ref sink, ref lastWasBoundary, wordStart, text.Length);
    }

    private static readonly string[] Abbreviations =
        ["sgt", "lt", "capt", "cpl", "det", "ofc", "off", "dep", "insp", "cmdr", "supt", "chf", "st", "dr", "mr", "mrs", "ms", "jr", "sr",
         "rte", "hwy", "ave", "blvd", "rd", "mt", "ft", "gov", "sen", "rep", "no", "vs", "sra", "dra", "lic", "agt", "cst", "pc"];

    private static bool IsAbbreviation(ReadOnlySpan<char> word)
    {
        if (word.Length == 1) return char.IsLetter(word[0]);
        foreach (var abbreviation in Abbreviations)
            if (word.SequenceEqual(abbreviation)) return true;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Append(Span<char> word, ref int length, char c)
    {
        if (length < word.Length) word[length++] = c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flush<TSink>(Span<char> word, ref int length, ref int lastLength, ref TSink sink, ref bool lastWasBoundary, int start, int end) where TSink : struct, ITokenSink
    {
        if (length == 0) return;
        sink.Word(word[..length], start, end);
        lastLength = length;
        length = 0;
        lastWasBoundary = false;
    }

    private static bool IsHandleChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    private static bool IsSymbol(char c)
    {
        if (c < 0x2000) return false;
        var category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol;
    }

    /// <summary>CamelCase and trailing years inside a hashtag start a new word: BackTheBlue, PMRoutine, Week2025.</summary>
    private static bool SplitsHashtag(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        var previous = text[i - 1];
        if (char.IsUpper(c))
            return char.IsLower(previous) || (char.IsUpper(previous) && i + 1 < text.Length && char.IsLower(text[i + 1]));
        return char.IsDigit(c) && char.IsLetter(previous) && i + 1 < text.Length && char.IsDigit(text[i + 1]);
    }

    private static bool StartsUrl(ReadOnlySpan<char> text, int i)
    {
        var rest = text[i..];
        return rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || rest.StartsWith("www.", StringComparison.OrdinalIgnoreCase);
    }
}
