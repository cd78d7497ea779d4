using System.Text.RegularExpressions;

namespace SolidarityTracker.Digests;

/// <summary>What a post refers to: a fallen officer by rank and name, hashtags, @mentioned accounts and places.</summary>
public sealed record PostReferences(
    IReadOnlyList<(string Key, string Title)> Officers,
    IReadOnlyList<(string Key, string Title)> Hashtags,
    IReadOnlyList<string> Mentions,
    IReadOnlyList<(string Key, string Title)> Places);

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
    };

    private static readonly HashSet<string> StateCodes = new(StringComparer.Ordinal)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
        "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    };

    private const string Word = @"\p{Lu}\p{Ll}+(?:['’\-]?\p{Lu}\p{Ll}+)?";

    [GeneratedRegex(@"(?<![\p{L}#@])(?<rank>Patrol\s+Officer|Officer|Ofc\.?|Ptl\.?|Patrolman|Sgt\.?|Sergeant|Deputy|Dep\.|Detective|Det\.|Trooper|Tpr\.?|Lt\.?|Lieutenant|Cpl\.?|Corporal|Capt\.?|Captain|Agent|Constable|K-?9)\s+(?<name>" + Word + @"(?:\s+\p{Lu}\.)?(?:\s+" + Word + @"){0,2})", RegexOptions.CultureInvariant)]
    private static partial Regex OfficerPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_&])#(?<tag>[\p{L}\p{N}_]{3,60})", RegexOptions.CultureInvariant)]
    private static partial Regex HashtagPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_/.])@(?<handle>[A-Za-z0-9_][A-Za-z0-9_.\-]{1,60}(?:@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})?)", RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"\b(?:in|to|for|from|with|across|of|near|through)\s+(?<place>" + Word + @"(?:\s+" + Word + @"){0,2})(?:,\s*(?<state>[A-Z]{2})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex PlacePattern();

    [GeneratedRegex(@"(?<place>" + Word + @"(?:\s+" + Word + @"){0,2}),\s*(?<state>[A-Z]{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex CityStatePattern();

    public static PostReferences Extract(string text)
    {
        var officers = new List<(string, string)>();
        foreach (Match m in OfficerPattern().Matches(text))
        {
            var words = m.Groups["name"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            // "Officer Daniel Reyes Funeral": keep the name, drop what follows it.
            while (words.Count > 0 && (NotNames.Contains(words[^1]) || NotPlaces.Contains(words[^1]))) words.RemoveAt(words.Count - 1);
            if (words.Count == 0 || NotNames.Contains(words[0]) || NotPlaces.Contains(words[0])) continue;
            var rank = Ranks.GetValueOrDefault(Regex.Replace(m.Groups["rank"].Value.TrimEnd('.'), @"\s+", " "), "Officer");
            var last = words[^1];
            officers.Add(("officer:" + last.ToLowerInvariant(), $"{rank} {string.Join(' ', words)}"));
        }

        var tags = new List<(string, string)>();
        foreach (Match m in HashtagPattern().Matches(text))
        {
            var tag = m.Groups["tag"].Value;
            if (GenericHashtags.Contains(tag) || tag.All(char.IsDigit)) continue;
            tags.Add(("tag:" + tag.ToLowerInvariant(), "#" + tag));
        }

        var mentions = new List<string>();
        foreach (Match m in MentionPattern().Matches(text))
            mentions.Add(m.Groups["handle"].Value.TrimEnd('.', '-').ToLowerInvariant());

        var places = new List<(string, string)>();
        foreach (Match m in CityStatePattern().Matches(text)) AddPlace(places, m);
        foreach (Match m in PlacePattern().Matches(text)) AddPlace(places, m);
        // A fallen officer's name is not a place ("in memory of Officer Reyes" never gets here, "to Reyes" might).
        var officerWords = officers.SelectMany(o => o.Item2.Split(' ')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        places.RemoveAll(p => p.Item2.Split(' ').Any(officerWords.Contains));

        return new PostReferences(Distinct(officers), Distinct(tags), mentions.Distinct().ToList(), Distinct(places));
    }

    private static void AddPlace(List<(string, string)> places, Match m)
    {
        var state = m.Groups["state"].Success && StateCodes.Contains(m.Groups["state"].Value) ? m.Groups["state"].Value : null;
        var words = m.Groups["place"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        // "from Millbrook Police" names an agency, not a place; keep "Millbrook" only when followed by nothing agency-like.
        var cut = words.FindIndex(NotPlaces.Contains);
        if (cut >= 0) words = words.Take(cut).ToList();
        if (words.Count == 0) return;
        var name = string.Join(' ', words);
        places.Add(("place:" + name.ToLowerInvariant(), state is null ? name : $"{name}, {state}"));
    }

    private static List<(string Key, string Title)> Distinct(List<(string Key, string Title)> items) =>
        items.GroupBy(i => i.Key).Select(g => g.OrderByDescending(i => i.Title.Length).First()).ToList();
}
