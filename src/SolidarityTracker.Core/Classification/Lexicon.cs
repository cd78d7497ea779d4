using System.Security.Cryptography;

namespace SolidarityTracker.Classification;

/// <summary>
/// The weighted phrases of lexicon.txt compiled once into a token vocabulary and a phrase trie, so that
/// classifying a post is one tokenizing pass plus dictionary lookups (no regexes, no allocation per token).
/// </summary>
internal sealed class Lexicon
{
    public const int Unknown = -1;
    public const int Boundary = -2;


    /// <summary>The embedded lexicon, parsed on first use (a few milliseconds).</summary>
    public static Lexicon Embedded => EmbeddedLexicon.Value;

    private static readonly Lazy<Lexicon> EmbeddedLexicon = new(() => Parse(ReadEmbedded("lexicon.txt"), "lexicon.txt"));

    public string Hash { get; }
    public int PhraseCount => _phrases.Count;
    public double[] Bias { get; } = new double[3];

    /// <summary>Platt scaling per label (@calibrate LABEL SCALE SHIFT): the score is σ(SCALE·z + SHIFT) of the raw log-odds z.</summary>
    public double[] CalibrationScale { get; } = [1, 1, 1];
    public double[] CalibrationShift { get; } = new double[3];

    /// <summary>Token id of any @handle the lexicon does not name.</summary>
    public int MentionId { get; }

    /// <summary>Token id of "rt": an @handle after it is a repost's author, not someone spoken to.</summary>
    public int RepostId { get; }

    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<string, int> _nearMisses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _nearMissLookup;
    private readonly HashSet<string> _noFuzzy = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _noFuzzyLookup;
    private readonly List<int[]> _aliases = [];
    private readonly List<string> _tokens = [];
    private bool[] _negator = [];
    private bool[] _clause = [];
    private bool[] _imperative = [];
    private bool[] _audience = [];
    private bool[] _filler = [];

    /// <summary>What a sentence opening with a safety verb (lock, avoid, verrouillez, cierre…) adds to safety_reminder.</summary>
    public double ImperativeWeight { get; private set; }

    /// <summary>What a sentence opening by naming its public (Drivers:, Parents:, Residents…) adds to safety_reminder.</summary>
    public double AudienceWeight { get; private set; }

    public int DoId { get; private set; }
    public int DonId { get; private set; }
    public int TId { get; private set; }
    public int NotId { get; private set; }
    public int NeId { get; private set; }
    public int OutId { get; private set; }
    public int IfId { get; private set; }
    public int WhenId { get; private set; }
    public int SiId { get; private set; }
    public int UsId { get; private set; }
    public int ById { get; private set; }
    public int CuandoId { get; private set; }
    public int QuandId { get; private set; }
    public int ToId { get; private set; }
    private bool[] _subject = [];

    // The trie: an edge per (node, token), a wildcard edge per node, and per node and label the phrase ending there.
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _wildcard = [-1];
    private readonly List<int> _ends = [-1, -1, -1];
    private readonly List<Phrase> _phrases = [];

    public sealed record Phrase(int Label, string Text, double Weight, bool Negatable, int Length)
    {
        public Evidence Evidence { get; } = new(Labels.All[Label], Text, Weight);

        /// <summary>The phrase found but cancelled by a negator before it: shown, weighing nothing.</summary>
        public Evidence NegatedEvidence { get; } = new(Labels.All[Label], "not: " + Text, 0);
    }

    private Lexicon(string hash)
    {
        Hash = hash;
        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        _nearMissLookup = _nearMisses.GetAlternateLookup<ReadOnlySpan<char>>();
        _noFuzzyLookup = _noFuzzy.GetAlternateLookup<ReadOnlySpan<char>>();
        MentionId = AddToken("@");
        RepostId = AddToken("rt");
    }

    public Phrase this[int phrase] => _phrases[phrase];

    public bool IsNegator(int token) => token >= 0 && token < _negator.Length && _negator[token];

    public bool IsImperative(int token) => Has(_imperative, token);
    public bool IsAudience(int token) => Has(_audience, token);
    public bool IsFiller(int token) => Has(_filler, token);
    public bool IsClauseWord(int token) => Has(_clause, token);

    /// <summary>"Drivers, if…", "Parents, when…": a named public followed by the condition of an instruction.</summary>
    public bool IsCondition(int token) => token == IfId || token == WhenId || token == SiId || Has(_filler, token);
    public bool IsInvitationTail(int token) => token == OutId || token == UsId || token == ById;

    /// <summary>"If", "when", "si", "cuando", "quand": a sentence opening with one states a condition, and may go on to an instruction.</summary>
    public bool OpensCondition(int token) => token == IfId || token == WhenId || token == SiId || token == CuandoId || token == QuandId;

    /// <summary>A subject ("you", "we", "ustedes", "vous"…): a verb after it belongs to the condition ("if you lock…"), not to an instruction.</summary>
    public bool IsSubject(int token) => Has(_subject, token) || token == ToId;

    private static bool Has(bool[] flags, int token) => token >= 0 && token < flags.Length && flags[token];

    /// <summary>A word that starts a new clause, beyond a negation's reach.</summary>
    public bool EndsNegation(int token) => token == Boundary || (token >= 0 && token < _clause.Length && _clause[token]);

    public string TokenText(int token) => token switch
    {
        Boundary => "|",
        Unknown => "?",
        _ => _tokens[token],
    };

    // ---- the hot path -------------------------------------------------------------------------------

    /// <summary>The trie child of a node for a token, following the wildcard edge when asked.</summary>
    public int Child(int node, int token) =>
        token >= 0 && _edges.TryGetValue(((long)node << 32) | (uint)token, out var child) ? child : -1;

    public int WildcardChild(int node) => _wildcard[node];

    public int PhraseEndingAt(int node, int label) => _ends[node * 3 + label];

    /// <summary>Appends the token ids of a word (an alias can stand for several) to a buffer.</summary>
    public void AddWord(ReadOnlySpan<char> word, TokenBuffer buffer)
    {
        if (_lookup.TryGetValue(word, out var id))
        {
            if (id >= 0) buffer.Add(id);
            else foreach (var alias in _aliases[-id - 1]) buffer.Add(alias);
            return;
        }
        buffer.Add(NearMiss(word));
    }

    public int MentionToken(ReadOnlySpan<char> handle)
    {
        Span<char> key = stackalloc char[handle.Length + 1];
        key[0] = '@';
        handle.CopyTo(key[1..]);
        return _lookup.TryGetValue(key, out var id) && id >= 0 ? id : MentionId;
    }

    public int SymbolToken(ReadOnlySpan<char> symbol) => _lookup.TryGetValue(symbol, out var id) && id >= 0 ? id : Unknown;

    /// <summary>
    /// A typo of a long lexicon word (one letter missing, extra, wrong or swapped: condolances, prayres):
    /// symmetric deletion, so it costs a few lookups and only for words the vocabulary does not know.
    /// </summary>
    private int NearMiss(ReadOnlySpan<char> word)
    {
        if (word.Length < 6 || word.Length > 20 || _noFuzzyLookup.Contains(word)) return Unknown;
        if (_nearMissLookup.TryGetValue(word, out var id)) return id >= 0 && SameStart(id, word) ? id : Unknown;
        if (word.Length < 7) return Unknown;
        Span<char> shorter = stackalloc char[word.Length - 1];
        // Never drop the last letter: "presented" is not a typo of "presente", nor "officers" of "officer".
        for (var skip = 0; skip < word.Length - 1; skip++)
        {
            word[..skip].CopyTo(shorter);
            word[(skip + 1)..].CopyTo(shorter[skip..]);
            if (_lookup.TryGetValue(shorter, out id) && id >= 0 && SameStart(id, word)) return id;
            if (_nearMissLookup.TryGetValue(shorter, out id) && id >= 0 && SameStart(id, word)) return id;
        }
        return Unknown;
    }

    /// <summary>Typos keep the first letter; real words that differ by one letter mostly do not ("repaired", "prepared").</summary>
    private bool SameStart(int id, ReadOnlySpan<char> word) => _tokens[id][0] == word[0];

    // ---- building -----------------------------------------------------------------------------------

    public static string ReadEmbedded(string name)
    {
        var assembly = typeof(Lexicon).Assembly;
        var resource = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("." + name, StringComparison.Ordinal) || n == name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {assembly.GetName().Name}");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static Lexicon Parse(string text, string source)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
        var lexicon = new Lexicon(hash);
        var negators = new List<string>();
        var clauses = new List<string>();
        List<string> imperatives = [], audiences = [], fillers = [];
        var label = -1;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            string Fail(string why) => throw new FormatException($"{source}:{lineNumber}: {why}");
            switch (parts[0])
            {
                case "@label":
                    label = Labels.IndexOf(parts.ElementAtOrDefault(1)?.Trim());
                    if (label < 0) Fail("unknown label");
                    continue;
                case "@bias":
                    var bias = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var biasLabel = Labels.IndexOf(bias[0]);
                    if (biasLabel < 0 || bias.Length != 2) Fail("expected @bias LABEL WEIGHT");
                    lexicon.Bias[biasLabel] = double.Parse(bias[1], CultureInfo.InvariantCulture);
                    continue;
                case "@calibrate":
                    var calibration = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var calibrationLabel = Labels.IndexOf(calibration[0]);
                    if (calibrationLabel < 0 || calibration.Length != 3
                        || !double.TryParse(calibration[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale <= 0
                        || !double.TryParse(calibration[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var shift))
                        Fail("expected @calibrate LABEL SCALE SHIFT (SCALE > 0)");
                    lexicon.CalibrationScale[calibrationLabel] = scale;
                    lexicon.CalibrationShift[calibrationLabel] = shift;
                    continue;
                case "@alias":
                    var alias = parts[1].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                    if (alias.Length != 2) Fail("expected @alias TYPO WORD");
                    lexicon.AddAlias(alias[0], alias[1]);
                    continue;
                case "@negators":
                    negators.AddRange(parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    continue;
                case "@clauses":
                    clauses.AddRange(parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    continue;
                case "@imperative":
                case "@audience":
                    var words = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length < 2 || !double.TryParse(words[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var cueWeight))
                        Fail($"expected {parts[0]} WEIGHT WORD...");
                    if (parts[0] == "@imperative") { lexicon.ImperativeWeight = cueWeight; imperatives.AddRange(words.Skip(1)); }
                    else { lexicon.AudienceWeight = cueWeight; audiences.AddRange(words.Skip(1)); }
                    continue;
                case "@fillers":
                    fillers.AddRange(parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    continue;
                case "@nofuzzy":
                    foreach (var word in parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)) lexicon._noFuzzy.Add(word);
                    continue;
            }
            if (label < 0) Fail("a phrase before any @label");
            if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || parts.Length < 2)
                Fail("expected WEIGHT PHRASE");
            var phrase = parts[1];
            var negatable = phrase.EndsWith("!neg", StringComparison.Ordinal);
            if (negatable) phrase = phrase[..^4].TrimEnd();
            foreach (var expansion in Expand(phrase))
                lexicon.AddPhrase(label, expansion, weight, negatable);
        }
        lexicon._negator = lexicon.Flags(negators);
        lexicon._clause = lexicon.Flags(clauses);
        lexicon._imperative = lexicon.Flags(imperatives);
        lexicon._audience = lexicon.Flags(audiences);
        lexicon._filler = lexicon.Flags(fillers);
        lexicon.DoId = lexicon.AddToken("do");
        lexicon.DonId = lexicon.AddToken("don");
        lexicon.TId = lexicon.AddToken("t");
        lexicon.NotId = lexicon.AddToken("not");
        lexicon.NeId = lexicon.AddToken("ne");
        lexicon.OutId = lexicon.AddToken("out");
        lexicon.IfId = lexicon.AddToken("if");
        lexicon.WhenId = lexicon.AddToken("when");
        lexicon.SiId = lexicon.AddToken("si");
        lexicon.UsId = lexicon.AddToken("us");
        lexicon.ById = lexicon.AddToken("by");
        lexicon.CuandoId = lexicon.AddToken("cuando");
        lexicon.QuandId = lexicon.AddToken("quand");
        lexicon.ToId = lexicon.AddToken("to");
        string[] subjects = ["you", "we", "they", "i", "he", "she", "it", "someone", "anyone", "somebody", "anybody", "people", "ustedes", "usted", "vous", "nous", "on", "tu", "yo"];
        foreach (var subject in subjects) lexicon.AddToken(subject);
        lexicon._subject = lexicon.Flags(subjects.ToList());
        lexicon.BuildNearMisses();
        return lexicon;
    }

    /// <summary>{a|b|} alternatives, nested or not, into every plain phrase they stand for.</summary>
    internal static IEnumerable<string> Expand(string phrase)
    {
        var open = phrase.IndexOf('{');
        if (open < 0)
        {
            yield return string.Join(' ', phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            yield break;
        }
        var depth = 0;
        var close = -1;
        for (var i = open; i < phrase.Length && close < 0; i++)
        {
            if (phrase[i] == '{') depth++;
            else if (phrase[i] == '}' && --depth == 0) close = i;
        }
        if (close < 0) throw new FormatException($"unbalanced braces in \"{phrase}\"");
        var inner = phrase[(open + 1)..close];
        var options = new List<string>();
        depth = 0;
        var startOption = 0;
        for (var i = 0; i <= inner.Length; i++)
        {
            if (i == inner.Length || (inner[i] == '|' && depth == 0))
            {
                options.Add(inner[startOption..i]);
                startOption = i + 1;
            }
            else if (inner[i] == '{') depth++;
            else if (inner[i] == '}') depth--;
        }
        foreach (var option in options)
            foreach (var rest in Expand(phrase[..open] + option + phrase[(close + 1)..]))
                if (rest.Length > 0) yield return rest;
    }

    /// <summary>Flags per token id for a word list (each word through the tokenizer, so accents fold the same way).</summary>
    private bool[] Flags(List<string> words)
    {
        var ids = words.SelectMany(w => Split(w)).OfType<string>().Select(AddToken).ToList();
        var flags = new bool[_tokens.Count + 64];
        foreach (var id in ids) flags[id] = true;
        return flags;
    }

    private int AddToken(string token)
    {
        if (_vocabulary.TryGetValue(token, out var id) && id >= 0) return id;
        id = _tokens.Count;
        _tokens.Add(token);
        _vocabulary[token] = id;
        return id;
    }

    private void AddAlias(string typo, string meaning)
    {
        var ids = Split(meaning).Select(t => t ?? throw new FormatException($"no wildcard in an alias: {meaning}")).Select(AddToken).ToArray();
        var typoTokens = Split(typo);
        if (typoTokens.Count != 1 || typoTokens[0] is not { } key) throw new FormatException($"an alias is one word: {typo}");
        if (ids.Length == 1 && key == _tokens[ids[0]]) return;
        _aliases.Add(ids);
        _vocabulary[key] = -_aliases.Count;
    }

    private void AddPhrase(int label, string phrase, double weight, bool negatable)
    {
        var tokens = Split(phrase);
        if (tokens.Count == 0) return;
        var node = 0;
        foreach (var token in tokens)
        {
            if (token is null)
            {
                if (_wildcard[node] < 0) _wildcard[node] = NewNode();
                node = _wildcard[node];
                continue;
            }
            var ids = _vocabulary.TryGetValue(token, out var known) && known < 0 ? _aliases[-known - 1] : [AddToken(token)];
            foreach (var id in ids)
            {
                var key = ((long)node << 32) | (uint)id;
                if (!_edges.TryGetValue(key, out var child)) _edges[key] = child = NewNode();
                node = child;
            }
        }
        var text = string.Join(' ', tokens.Select(t => t ?? "*"));
        var existing = _ends[node * 3 + label];
        if (existing >= 0 && Math.Abs(_phrases[existing].Weight) >= Math.Abs(weight)) return;
        _phrases.Add(new Phrase(label, text, weight, negatable, tokens.Count));
        _ends[node * 3 + label] = _phrases.Count - 1;
    }

    private int NewNode()
    {
        _wildcard.Add(-1);
        _ends.Add(-1); _ends.Add(-1); _ends.Add(-1);
        return _wildcard.Count - 1;
    }

    /// <summary>Tokens of lexicon text: the post tokenizer's words, with * as a wildcard (null).</summary>
    private static List<string?> Split(string phrase)
    {
        var tokens = new List<string?>();
        foreach (var part in phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "*") { tokens.Add(null); continue; }
            var sink = new ListSink(tokens);
            PostTokenizer.Tokenize(part, ref sink);
        }
        return tokens;
    }

    private readonly struct ListSink(List<string?> tokens) : ITokenSink
    {
        public void Word(ReadOnlySpan<char> word, int start, int end) => tokens.Add(word.ToString());
        public void Mention(ReadOnlySpan<char> handle, int start, int end) => tokens.Add("@" + handle.ToString());
        public void Symbol(ReadOnlySpan<char> symbol, int start, int end) => tokens.Add(symbol.ToString());
        public void Boundary() { }
    }

    private void BuildNearMisses()
    {
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 0; id < _tokens.Count; id++)
        {
            var word = _tokens[id];
            if (word.Length < 7 || !word.All(char.IsLetter) || _noFuzzy.Contains(word)) continue;
            for (var skip = 0; skip < word.Length; skip++)
            {
                var shorter = word.Remove(skip, 1);
                if (_vocabulary.ContainsKey(shorter) || ambiguous.Contains(shorter)) continue;
                if (_nearMisses.TryGetValue(shorter, out var other) && other != id)
                {
                    _nearMisses[shorter] = Unknown;
                    ambiguous.Add(shorter);
                }
                else
                {
                    _nearMisses[shorter] = id;
                }
            }
        }
    }
}
