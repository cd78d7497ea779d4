namespace SolidarityTracker.Classification;

/// <summary>
/// The token ids of one post, reused per thread so classifying allocates nothing per token, with where in the text
/// each token was (<see cref="Starts"/>, <see cref="Ends"/>), so evidence can quote the post's own words.
/// </summary>
internal sealed class TokenBuffer
{
    public int[] Ids = new int[256];
    public int[] Starts = new int[256];
    public int[] Ends = new int[256];
    public int Count;
    public bool Addressed;

    /// <summary>Where in the text the tokens added next were (an alias adds several tokens for one word).</summary>
    public int SpanStart, SpanEnd;

    public void Clear()
    {
        Count = 0;
        Addressed = false;
        SpanStart = SpanEnd = 0;
    }

    public void Add(int id)
    {
        if (Count == Ids.Length)
        {
            Array.Resize(ref Ids, Ids.Length * 2);
            Array.Resize(ref Starts, Ids.Length);
            Array.Resize(ref Ends, Ids.Length);
        }
        Starts[Count] = SpanStart;
        Ends[Count] = SpanEnd;
        Ids[Count++] = id;
    }
}
