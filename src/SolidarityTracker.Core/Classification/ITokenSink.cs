namespace SolidarityTracker.Classification;

/// <summary>What the tokenizer hands over, token by token; a struct so the calls inline in the hot path.</summary>
internal interface ITokenSink
{
    /// <summary>A word: lower case, accents folded; it was text[start..end].</summary>
    void Word(ReadOnlySpan<char> word, int start, int end);

    /// <summary>An @handle, lower case, without the @; it was text[start..end] (with the @).</summary>
    void Mention(ReadOnlySpan<char> handle, int start, int end);

    /// <summary>One emoji or symbol, without variation selectors or skin tones; it was text[start..end].</summary>
    void Symbol(ReadOnlySpan<char> symbol, int start, int end);

    /// <summary>The end of a sentence: phrases never match across it.</summary>
    void Boundary();
}
