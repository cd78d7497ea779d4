using System.Text.RegularExpressions;

namespace SolidarityTracker.Incidents;

/// <summary>
/// Plain heuristics over the text, tuned for the wave after a line-of-duty death: "Officer Daniel Reyes",
/// "Sgt. Reyes", "#MillbrookStrong", "@MillbrookPD", "in Millbrook", "Baton Rouge, LA". They only need to be
/// good enough to group posts about one loss; a wrong guess costs a small extra incident, not a wrong count.
/// </summary>
public static partial class ReferenceExtractor
{
    private static readonly Dictionary<string, string> Ranks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["officer"] = "Officer", ["ofc"] = "Officer", ["ptl"] = "Patrolman", ["patrolman"] = "Patrolman", ["patrol officer"] = "Officer",
        ["sgt"] = "Sergeant", ["sergeant"] = "Sergeant", ["deputy"] = "Deputy", ["dep"] = "Deputy",
        ["detective"] = "Detective", ["det"] = "Detective", ["trooper"] = "Trooper", ["tpr"] = "Trooper",
        ["lt"] = "Lieutenant", ["lieutenant"] = "Lieutenant", ["cpl"] = "Corporal", ["corporal"] = "Corporal",
        ["capt"] = "Captain", ["captain"] = "Captain", ["agent"] = "Agent", ["constable"] = "Constable",
        ["k9"] = "K9", ["k-9"] = "K9",
    };

    // Words that follow a rank but are not a name ("Officer Down", "Officer Safety").
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "down", "safety", "involved", "wellness", "week", "memorial", "of", "the", "and", "who", "is", "was", "killed", "friendly",
        "appreciation", "survival", "recruitment", "recruiting", "training", "program", "day", "association", "union", "academy",
    };

    private static readonly HashSet<string> GenericHashtags = new(StringComparer.OrdinalIgnoreCase)
    {
        "thinblueline", "bluelivesmatter", "backtheblue", "policelivesmatter", "eow", "endofwatch", "neverforget", "lawenforcement",
        "police", "lineofduty", "lodd", "fallenofficer", "fallenheroes", "rip", "restinpeace", "prayers", "breaking", "update",
        "safetyfirst", "seesomethingsaysomething", "thinblueline💙", "heroes", "honor", "respect",
    };

    // Capitalised words that start a sentence or name a thing, not a place.
    private static readonly HashSet<string> NotPlaces = new(StringComparer.OrdinalIgnoreCase)
    {
        "officer", "officers", "police", "department", "god", "our", "the", "this", "that", "we", "all", "his", "her", "their", "you",
        "sergeant", "deputy", "detective", "trooper", "chief", "sheriff", "memory", "honor", "everyone", "anyone", "us", "them",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tonight", "tomorrow",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "peace", "prayers", "thoughts", "support", "solidarity", "mourning", "condolences", "remembrance", "service", "duty",
        "family", "families", "brothers", "sisters", "blue", "law", "enforcement", "a", "an", "he", "she", "it", "its", "my", "i",
        "k9", "heaven", "christ", "jesus", "main", "street", "avenue", "road", "facebook", "twitter", "instagram", "end", "watch", "eow",
        "memorial", "funeral", "procession", "vigil", "order", "patrol", "fallen", "hero", "heroes",
        "ofc", "sgt", "det", "lt", "cpl", "capt", "tpr", "dep", "ptl", "pd", "so", "rest", "please", "stay", "reminder",
        // Offices and titles: "the Coroner's Office", "the Governor", "the Pennsylvania State Patrol" name no place
        // (what comes before them may: "Harmon County", "Pennsylvania").
        "office", "offices", "bureau", "division", "agency", "unit", "state", "coroner", "governor", "lieutenant", "mayor",
        "senator", "president", "commissioner", "commissioners", "council", "councilman", "councilwoman", "judge", "attorney",
        "general", "marshal", "constable", "superintendent", "commander", "colonel", "major", "captain", "corporal",
        "representative", "congressman", "congresswoman", "secretary", "director", "examiner", "medical", "troopers", "deputies",
    };

    /// <summary>A word that ends a place's name, its possessive too ("Coroner's", "Tuesday's").</summary>
    private static bool NotPlace(string word) =>
        NotPlaces.Contains(word) || (word.Length > 2 && (word.EndsWith("'s", StringComparison.OrdinalIgnoreCase) || word.EndsWith("’s", StringComparison.OrdinalIgnoreCase)) && NotPlaces.Contains(word[..^2]));

    private static readonly HashSet<string> StateCodes = new(StringComparer.Ordinal)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
        "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    };

    private static readonly HashSet<string> Prepositions = new(StringComparer.Ordinal)
    {
        "in", "to", "for", "from", "with", "across", "of", "near", "through", "In", "To", "For", "From", "With", "Across", "Of", "Near", "Through",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> RankLookup = Ranks.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PrepositionLookup = Prepositions.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StateLookup = StateCodes.GetAlternateLookup<ReadOnlySpan<char>>();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_&])#(?<tag>[\p{L}\p{N}_]{3,60})", RegexOptions.CultureInvariant)]
    private static partial Regex HashtagPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_/.])@(?<handle>[A-Za-z0-9_][A-Za-z0-9_.\-]{1,60}(?:@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})?)", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    public static PostReferences Extract(string text)
    {
        // Officers and places are found on words, in one pass: a regex per pattern with Unicode classes costs
        // ten times as much on a day of 20,000 posts.
        var words = Tokenize(text);
        List<(string, string)>? officers = null, places = null;
        for (var i = 0; i < words.Count; i++)
        {
            // Span lookups: no string per word, only per match.
            var word = Slice(text, words[i]);
            if (RankLookup.TryGetValue(word, out var rank) && char.IsUpper(word[0]) && !Preceded(text, words[i], '#', '@'))
            {
                var names = NameRun(text, words, i + 1, allowInitial: true, rankSeparator: true);
                // "Officer Daniel Reyes Funeral": keep the name, drop what follows it.
                while (names.Count > 0 && (NotNames.Contains(names[^1]) || NotPlace(names[^1]))) names.RemoveAt(names.Count - 1);
                if (names.Count > 0 && !NotNames.Contains(names[0]) && !NotPlace(names[0]))
                    (officers ??= []).Add(("officer:" + names[^1].ToLowerInvariant(), $"{rank} {string.Join(' ', names)}"));
                continue;
            }
            if (PrepositionLookup.Contains(word) && i + 1 < words.Count && IsSpace(text, words[i], words[i + 1]))
            {
                // "to the Dallas Police Department": the place is Dallas.
                var from = Slice(text, words[i + 1]) is "the" && i + 2 < words.Count && IsSpace(text, words[i + 1], words[i + 2]) ? i + 2 : i + 1;
                var run = NameRun(text, words, from, allowInitial: false, rankSeparator: false);
                if (run.Count > 0) AddPlace(places ??= [], run, StateAfter(text, words, from + run.Count - 1));
                continue;
            }
            // "Baton Rouge, LA": a run of capitalised words before a state code.
            if (word.Length == 2 && StateLookup.Contains(word) && i > 0 && Separator(text, words[i - 1], words[i]) is ", " or ",")
            {
                var first = i - 1;
                while (first > 0 && i - first < 3 && IsName(Slice(text, words[first - 1])) && IsSpace(text, words[first - 1], words[first])) first--;
                var run = new List<string>();
                for (var k = first; k < i; k++) if (IsName(Slice(text, words[k]))) run.Add(Slice(text, words[k]).ToString());
                if (run.Count > 0) AddPlace(places ??= [], run, word.ToString());
            }
        }

        List<(string, string)>? tags = null;
        if (text.Contains('#'))
            foreach (Match m in HashtagPattern().Matches(text))
            {
                var tag = m.Groups["tag"].Value;
                if (GenericHashtags.Contains(tag) || tag.All(char.IsDigit)) continue;
                (tags ??= []).Add(("tag:" + tag.ToLowerInvariant(), "#" + tag));
            }

        List<string>? mentions = null;
        if (text.Contains('@'))
            foreach (Match m in MentionPattern().Matches(text))
                (mentions ??= []).Add(m.Groups["handle"].Value.TrimEnd('.', '-').ToLowerInvariant());

        // A fallen officer's name is not a place ("to Reyes" after "Officer Reyes").
        if (officers is not null && places is not null)
        {
            var officerWords = officers.SelectMany(o => o.Item2.Split(' ')).ToHashSet(StringComparer.OrdinalIgnoreCase);
            places.RemoveAll(p => p.Item2.Split(' ', ',').Any(officerWords.Contains));
        }
        if (officers is null && places is null && tags is null && mentions is null) return Nothing;
        return new PostReferences(Distinct(officers), Distinct(tags), mentions is null ? [] : mentions.Distinct().ToList(), Distinct(places));
    }

    private static void AddPlace(List<(string, string)> places, List<string> words, string? state)
    {
        // "from Millbrook Police" names an agency; the place is the part before the agency word.
        var cut = words.FindIndex(NotPlace);
        if (cut >= 0) words = words.Take(cut).ToList();
        if (words.Count == 0) return;
        var name = string.Join(' ', words);
        places.Add(("place:" + name.ToLowerInvariant(), state is null ? name : $"{name}, {state}"));
    }

    /// <summary>Up to three capitalised words from <paramref name="start"/>, separated by single spaces (a middle initial "J." allowed for names).</summary>
    private static List<string> NameRun(string text, List<(int Start, int Length)> words, int start, bool allowInitial, bool rankSeparator)
    {
        var run = new List<string>();
        for (var k = start; k < words.Count && run.Count < 4; k++)
        {
            var separator = Separator(text, words[k - 1], words[k]);
            var first = k == start;
            var ok = separator is " " || (first && rankSeparator && separator is ". ")
                || (allowInitial && !first && separator is ". " && run.Count > 0 && run[^1].Length == 1);
            if (!ok) break;
            var word = Slice(text, words[k]);
            if (allowInitial && word.Length == 1 && char.IsUpper(word[0]) && run.Count > 0) { run.Add(word.ToString()); continue; }
            if (!IsName(word)) break;
            run.Add(word.ToString());
            if (run.Count(w => w.Length > 1) == 3) break;
        }
        // A trailing initial is not part of the name; an initial is shown with its dot.
        while (run.Count > 0 && run[^1].Length == 1) run.RemoveAt(run.Count - 1);
        return run.Select(w => w.Length == 1 ? w + "." : w).ToList();
    }

    private static string? StateAfter(string text, List<(int Start, int Length)> words, int last)
    {
        if (last + 1 >= words.Count) return null;
        var next = Slice(text, words[last + 1]);
        return next.Length == 2 && StateLookup.Contains(next) && Separator(text, words[last], words[last + 1]) is ", " or ","
            ? next.ToString() : null;
    }

    private static bool IsName(ReadOnlySpan<char> word)
    {
        if (word.Length < 2 || !char.IsUpper(word[0]) || !(char.IsLower(word[1]) || word[1] is '\'' or '’')) return false;
        foreach (var c in word) if (!char.IsLetter(c) && c is not ('\'' or '’' or '-')) return false;
        return true;
    }

    private static bool IsSpace(string text, (int Start, int Length) a, (int Start, int Length) b) => Separator(text, a, b) is " ";

    private static ReadOnlySpan<char> Separator(string text, (int Start, int Length) a, (int Start, int Length) b) =>
        text.AsSpan(a.Start + a.Length, b.Start - a.Start - a.Length);

    private static ReadOnlySpan<char> Slice(string text, (int Start, int Length) word) => text.AsSpan(word.Start, word.Length);

    private static bool Preceded(string text, (int Start, int Length) word, char a, char b) =>
        word.Start > 0 && (text[word.Start - 1] == a || text[word.Start - 1] == b);

    /// <summary>Words: letters and digits, with inner apostrophes and hyphens (O'Brien, K-9, Smith-Jones).</summary>
    [ThreadStatic] private static List<(int Start, int Length)>? _words;

    private static List<(int Start, int Length)> Tokenize(string text)
    {
        // One list per thread, reused: the words never leave Extract.
        var words = _words ??= new List<(int, int)>(64);
        words.Clear();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] is '\'' or '’' or '-' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])))) i++;
            words.Add((start, i - start));
        }
        return words;
    }

    private static readonly PostReferences Nothing = new([], [], [], []);

    private static IReadOnlyList<(string Key, string Title)> Distinct(List<(string Key, string Title)>? items) =>
        items is null ? [] : items.GroupBy(i => i.Key).Select(g => g.OrderByDescending(i => i.Title.Length).First()).ToList();
}
