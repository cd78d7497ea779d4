namespace SolidarityTracker.Classification;

/// <summary>
/// Labels a post per LABELS.md from the weighted phrases of lexicon.txt (embedded): the post is tokenized
/// once, every phrase found adds its weight to its label (hard negatives are phrases with negative weights;
/// negators cancel the phrases marked !neg, which then show in the evidence as "not: …" at weight 0), a
/// sentence shaped as an instruction to the public adds to safety_reminder, and a label's score is the
/// logistic squash of its bias plus the weights; a label fits at 0.5 and above. The evidence is every
/// phrase or cue that fired, with its weight.
/// Pure and thread-safe: per-thread buffers, nothing shared is written after start-up.
/// </summary>
public sealed class LexiconClassifier : IPostClassifier
{
    /// <summary>A post addressed to an @handle (not a repost's "RT @x") carrying a grief emoji: support said to a peer (LABELS.md, borderline).</summary>
    internal const double ReplyWithGriefEmoji = 2.0;
    private const int NegationWindow = 4;

    private readonly Lexicon _lexicon;
    private readonly double[] _thresholds;
    private readonly ClassificationResult _nothing;
    private readonly int[] _griefEmoji;

    [ThreadStatic] private static TokenBuffer? t_tokens;
    [ThreadStatic] private static List<int>? t_fired;
    [ThreadStatic] private static List<int>? t_firedAt;

    public LexiconClassifier() : this(Lexicon.Embedded) { }

    /// <summary>With the label thresholds of Classifier:Thresholds (a label fits when its calibrated score reaches its threshold).</summary>
    public LexiconClassifier(ClassifierThresholds thresholds) : this(Lexicon.Embedded, thresholds) { }

    internal LexiconClassifier(Lexicon lexicon, ClassifierThresholds? thresholds = null)
    {
        _lexicon = lexicon;
        _thresholds = (thresholds ?? ClassifierThresholds.Default).ToArray();
        Version = $"lexicon-2.{lexicon.Hash}";
        var nothing = Scores(Calibrated(0, lexicon.Bias[0]), Calibrated(1, lexicon.Bias[1]), Calibrated(2, lexicon.Bias[2]));
        _nothing = new ClassificationResult(Labels.All.Where((l, i) => nothing[l] >= _thresholds[i]).ToList(), nothing, [], Version);
        _griefEmoji = new[] { "🖤", "💔", "🙏", "🕯", "😢" }.Select(e => lexicon.SymbolToken(e)).Where(id => id >= 0).ToArray();
    }

    public string Version { get; }

    internal Lexicon Lexicon => _lexicon;

    public ClassificationResult Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fired = t_fired ??= new List<int>(16);
        var firedAt = t_firedAt ??= new List<int>(16);
        var tokens = t_tokens ??= new TokenBuffer();
        Span<double> z = stackalloc double[3];
        var (imperative, secondImperative, audience, reply) = Match(text, tokens, fired, firedAt, z);
        var extra = (reply ? 1 : 0) + (imperative >= 0 ? 1 : 0) + (secondImperative >= 0 ? 1 : 0) + (audience >= 0 ? 1 : 0);
        if (fired.Count == 0 && extra == 0) return _nothing;

        var condolence = Calibrated(0, z[0]);
        var memorial = Calibrated(1, z[1]);
        var safety = Calibrated(2, z[2]);
        var labels = new List<string>(3);
        if (condolence >= _thresholds[0]) labels.Add(Labels.Condolence);
        if (memorial >= _thresholds[1]) labels.Add(Labels.Memorial);
        if (safety >= _thresholds[2]) labels.Add(Labels.SafetyReminder);

        var evidence = new Evidence[fired.Count + extra];
        for (var i = 0; i < fired.Count; i++)
        {
            var phrase = _lexicon[fired[i] >= 0 ? fired[i] : ~fired[i]];
            var words = Quote(text, tokens, firedAt[i], phrase.Length);
            evidence[i] = fired[i] >= 0 ? new Evidence(phrase.Evidence.Label, words, phrase.Weight) : new Evidence(phrase.Evidence.Label, "not: " + words, 0);
        }
        var next = fired.Count;
        if (imperative >= 0) evidence[next++] = new Evidence(Labels.SafetyReminder, "sentence opens with \"" + _lexicon.TokenText(imperative) + "\"", _lexicon.ImperativeWeight);
        if (secondImperative >= 0) evidence[next++] = new Evidence(Labels.SafetyReminder, "sentence opens with \"" + _lexicon.TokenText(secondImperative) + "\"", _lexicon.ImperativeWeight);
        if (audience >= 0) evidence[next++] = new Evidence(Labels.SafetyReminder, "addressed to \"" + _lexicon.TokenText(audience) + "\"", _lexicon.AudienceWeight);
        if (reply) evidence[next] = ReplyEvidence;
        return new ClassificationResult(labels, Scores(condolence, memorial, safety), evidence, Version);
    }

    /// <summary>The raw log-odds per label (bias plus the weights that fired), before calibration: what Platt scaling is fitted on.</summary>
    internal void RawLogits(string text, Span<double> z) =>
        Match(text, t_tokens ??= new TokenBuffer(), t_fired ??= new List<int>(16), t_firedAt ??= new List<int>(16), z);

    private (int Imperative, int SecondImperative, int Audience, bool Reply) Match(string text, TokenBuffer tokens, List<int> fired, List<int> firedAt, Span<double> z)
    {
        Tokenize(text, tokens);
        fired.Clear();
        firedAt.Clear();

        Span<double> sum = stackalloc double[3];
        Span<int> coveredUntil = stackalloc int[3];
        Span<int> best = stackalloc int[3];
        Span<int> stackNode = stackalloc int[64];
        Span<int> stackPos = stackalloc int[64];
        var ids = tokens.Ids;
        var count = tokens.Count;

        for (var start = 0; start < count; start++)
        {
            if (ids[start] == Lexicon.Boundary) continue;
            best.Fill(-1);
            // Walk the trie from this token, exact edges and wildcard edges both; keep per label the longest phrase.
            stackNode[0] = 0;
            stackPos[0] = start;
            var top = 1;
            while (top > 0)
            {
                top--;
                var node = stackNode[top];
                var pos = stackPos[top];
                if (pos >= count) continue;
                var token = ids[pos];
                if (token == Lexicon.Boundary) continue;
                var exact = _lexicon.Child(node, token);
                var wild = _lexicon.WildcardChild(node);
                for (var branch = 0; branch < 2; branch++)
                {
                    var child = branch == 0 ? exact : wild;
                    if (child < 0) continue;
                    for (var label = 0; label < 3; label++)
                    {
                        var phrase = _lexicon.PhraseEndingAt(child, label);
                        if (phrase >= 0 && (best[label] < 0 || _lexicon[phrase].Length > _lexicon[best[label]].Length)) best[label] = phrase;
                    }
                    if (top < stackNode.Length)
                    {
                        stackNode[top] = child;
                        stackPos[top] = pos + 1;
                        top++;
                    }
                }
            }
            for (var label = 0; label < 3; label++)
            {
                var phraseId = best[label];
                if (phraseId < 0 || start < coveredUntil[label]) continue;
                var phrase = _lexicon[phraseId];
                coveredUntil[label] = start + phrase.Length;
                var negated = phrase.Negatable && Negated(ids, start);
                // Negated phrases are kept apart (as ~id) so the evidence can show them at weight 0.
                var key = negated ? ~phraseId : phraseId;
                if (fired.Contains(key)) continue;
                fired.Add(key);
                firedAt.Add(start);
                if (!negated) sum[label] += phrase.Weight;
            }
        }

        var (imperative, secondImperative, audience) = SentenceOpenings(ids, count);
        if (imperative >= 0) sum[2] += _lexicon.ImperativeWeight;
        if (secondImperative >= 0) sum[2] += _lexicon.ImperativeWeight;
        if (audience >= 0) sum[2] += _lexicon.AudienceWeight;
        var reply = tokens.Addressed && HasGriefEmoji(ids, count);
        if (reply) sum[0] += ReplyWithGriefEmoji;
        for (var label = 0; label < 3; label++) z[label] = _lexicon.Bias[label] + sum[label];
        return (imperative, secondImperative, audience, reply);
    }

    private double Calibrated(int label, double z) => Squash(_lexicon.CalibrationScale[label] * z + _lexicon.CalibrationShift[label]);

    /// <summary>
    /// The post's own words that a phrase matched (tokens first to first + length - 1), as written: apostrophes, case and
    /// accents kept, the words a wildcard stood for included, runs of white space made one space.
    /// </summary>
    private static string Quote(string text, TokenBuffer tokens, int first, int length)
    {
        var start = tokens.Starts[first];
        var end = tokens.Ends[first + length - 1];
        var span = text.AsSpan(start, end - start);
        if (!span.ContainsAny(WhiteSpaceToCollapse)) return span.ToString();
        var builder = new System.Text.StringBuilder(span.Length);
        var space = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> WhiteSpaceToCollapse = System.Buffers.SearchValues.Create("\n\r\t  \u00A0");

    private static readonly Evidence ReplyEvidence = new(Labels.Condolence, "@peer with a grief emoji", ReplyWithGriefEmoji);

    /// <summary>The post's token ids (for tests and the benchmark's raw limit).</summary>
    internal void Tokenize(string text, TokenBuffer tokens)
    {
        tokens.Clear();
        var sink = new BufferSink(_lexicon, tokens);
        PostTokenizer.Tokenize(text, ref sink);
    }

    /// <summary>
    /// Instructions and the public they address, by the shape of the text: a sentence or a clause (after
    /// "and", "y", "et") that opens with a safety verb, after "please" or "don't" if any; and a sentence that
    /// opens by naming its public ("Drivers:"). A sentence opening with a condition ("If you see someone in crisis,
    /// call…", "Si toman, no guíen") counts the first safety verb after the condition that no subject governs
    /// ("if you lock…" is still the condition). Up to two distinct instructions count (token ids, -1 for none):
    /// two instructions are a reminder whatever their wording.
    /// </summary>
    private (int First, int Second, int Audience) SentenceOpenings(int[] ids, int count)
    {
        int first = -1, second = -1, audience = -1;
        for (var start = 0; start < count && second < 0; start++)
        {
            var sentenceStart = start == 0 || ids[start - 1] == Lexicon.Boundary;
            if (!sentenceStart && !_lexicon.IsClauseWord(ids[start - 1])) continue;
            var i = start;
            while (i < count && _lexicon.IsFiller(ids[i])) i++;
            if (i >= count) break;
            if (sentenceStart && _lexicon.OpensCondition(ids[i]))
            {
                var verb = InstructionAfterCondition(ids, i + 1, count);
                if (verb >= 0 && first < 0) first = verb;
                else if (verb >= 0 && verb != first) second = verb;
                continue;
            }
            if (sentenceStart && audience < 0 && _lexicon.IsAudience(ids[i]) && (i + 1 >= count || ids[i + 1] == Lexicon.Boundary || _lexicon.IsImperative(ids[i + 1]) || _lexicon.IsCondition(ids[i + 1])))
                audience = ids[i];
            // "Don't", "do not", "never", "no", "ne": a forbidding instruction still opens with its verb.
            if (i + 1 < count && ((ids[i] == _lexicon.DonId && ids[i + 1] == _lexicon.TId) || (ids[i] == _lexicon.DoId && ids[i + 1] == _lexicon.NotId))) i += 2;
            else if (_lexicon.IsNegator(ids[i]) || ids[i] == _lexicon.NeId) i++;
            while (i < count && _lexicon.IsFiller(ids[i])) i++;
            // "Check out", "Stop by", "Follow us": invitations, not instructions.
            if (i >= count || !_lexicon.IsImperative(ids[i]) || (i + 1 < count && _lexicon.IsInvitationTail(ids[i + 1]))) continue;
            if (first < 0) first = ids[i];
            else if (ids[i] != first) second = ids[i];
        }
        return (first, second, audience);
    }

    /// <summary>The first safety verb of the sentence after a condition's opening word whose subject is not named just before it
    /// (after a "don't", "do not" or "no", the word before that), or -1.</summary>
    private int InstructionAfterCondition(int[] ids, int from, int count)
    {
        for (var j = from + 1; j < count && ids[j] != Lexicon.Boundary; j++)
        {
            if (!_lexicon.IsImperative(ids[j]) || (j + 1 < count && _lexicon.IsInvitationTail(ids[j + 1]))) continue;
            var before = j - 1;
            if (before >= from + 1 && ((ids[before] == _lexicon.TId && ids[before - 1] == _lexicon.DonId) || (ids[before] == _lexicon.NotId && ids[before - 1] == _lexicon.DoId))) before -= 2;
            else if (_lexicon.IsNegator(ids[before]) || ids[before] == _lexicon.NeId) before--;
            if (before < from || _lexicon.IsSubject(ids[before])) continue;
            return ids[j];
        }
        return -1;
    }

    private bool Negated(int[] ids, int start)
    {
        for (var i = start - 1; i >= 0 && i >= start - NegationWindow; i--)
        {
            if (_lexicon.EndsNegation(ids[i])) return false;
            if (_lexicon.IsNegator(ids[i])) return true;
        }
        return false;
    }

    private bool HasGriefEmoji(int[] ids, int count)
    {
        for (var i = 0; i < count; i++)
            foreach (var emoji in _griefEmoji)
                if (ids[i] == emoji) return true;
        return false;
    }

    private static double Squash(double z) => Math.Round(1.0 / (1.0 + Math.Exp(-z)), 3);

    private static Dictionary<string, double> Scores(double condolence, double memorial, double safety) => new(3)
    {
        [Labels.Condolence] = condolence,
        [Labels.Memorial] = memorial,
        [Labels.SafetyReminder] = safety,
    };

    private readonly struct BufferSink(Lexicon lexicon, TokenBuffer tokens) : ITokenSink
    {
        public void Word(ReadOnlySpan<char> word, int start, int end)
        {
            tokens.SpanStart = start;
            tokens.SpanEnd = end;
            lexicon.AddWord(word, tokens);
        }

        public void Mention(ReadOnlySpan<char> handle, int start, int end)
        {
            if (tokens.Count == 0 || tokens.Ids[tokens.Count - 1] != lexicon.RepostId) tokens.Addressed = true;
            tokens.SpanStart = start;
            tokens.SpanEnd = end;
            tokens.Add(lexicon.MentionToken(handle));
        }

        public void Symbol(ReadOnlySpan<char> symbol, int start, int end)
        {
            tokens.SpanStart = start;
            tokens.SpanEnd = end;
            tokens.Add(lexicon.SymbolToken(symbol));
        }

        public void Boundary() => tokens.Add(Lexicon.Boundary);
    }
}
