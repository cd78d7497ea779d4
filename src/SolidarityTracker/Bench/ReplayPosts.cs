namespace SolidarityTracker.Bench;

/// <summary>
/// Timelines for replays (`bench alerts`, and the tests that replay a month): ordinary posting, and a wave of
/// condolences for one loss. Deterministic for a seed.
/// </summary>
public static class ReplayPosts
{
    private static readonly string[] States = ["OH", "PA", "TX", "LA", "CA", "NY", "GA", "IL", "MI", "FL", "AZ", "WA"];
    private static readonly string[] Ranks = ["Officer", "Deputy", "Sergeant", "Trooper", "Detective", "Corporal"];
    private static readonly string[] Firsts = ["James", "Maria", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Thomas", "Angela", "Carlos", "Denise"];
    private static readonly string[] Syllables = ["ash", "bel", "cor", "dun", "el", "far", "gil", "hol", "ing", "jor", "kel", "lan", "mor", "nor", "ost", "pel", "quin", "ros", "sten", "tal"];
    private static readonly string[] Endings = ["by", "cott", "dale", "field", "ford", "ham", "ley", "man", "ner", "ridge", "son", "ston", "ton", "well", "wick"];

    /// <summary>Agencies "Agency 1" … with one feed each, spread over a dozen states.</summary>
    public static List<ReplayAccount> Accounts(int count, string feedBase = "https://feeds.bench.example") =>
        Enumerable.Range(1, count).Select(i => new ReplayAccount($"agency-{i}", $"Agency {i} Police Department", States[i % States.Length], $"{feedBase}/{i}.xml")).ToList();

    /// <summary>
    /// A stretch of ordinary posting: about <paramref name="perDay"/> posts per account per day — community news,
    /// safety reminders, road closures, hiring — and now and then a condolence or a remembrance for a loss of the
    /// agency's own (a retired sergeant, an officer who died decades ago on this day), each naming someone no other
    /// agency names. No wave among them: a tracker must stay quiet.
    /// </summary>
    public static IEnumerable<Post> Ordinary(IReadOnlyList<ReplayAccount> accounts, DateTimeOffset from, TimeSpan length, double perDay, int seed)
    {
        var random = new Random(seed);
        var names = UniqueSurnames(random).GetEnumerator();
        var total = (int)(accounts.Count * perDay * length.TotalDays);
        for (var n = 0; n < total; n++)
        {
            var account = accounts[random.Next(accounts.Count)];
            var at = from + TimeSpan.FromSeconds(random.NextDouble() * length.TotalSeconds);
            var town = account.Name.Replace(" Police Department", "");
            var kind = random.Next(100);
            string text;
            if (kind < 4)
            {
                names.MoveNext();
                text = $"Our condolences to the family and friends of retired {Ranks[random.Next(Ranks.Length)]} {Firsts[random.Next(Firsts.Length)]} {names.Current}, who served this department for {10 + random.Next(25)} years. Rest easy.";
            }
            else if (kind < 8)
            {
                names.MoveNext();
                text = $"Today we remember {Ranks[random.Next(Ranks.Length)]} {Firsts[random.Next(Firsts.Length)]} {names.Current}, who died in the line of duty on this day in {1960 + random.Next(50)}. We will never forget. #EndOfWatch";
            }
            else
            {
                text = (kind % 8) switch
                {
                    0 => "Reminder: lock your car and take your valuables with you. Most vehicle break-ins are preventable.",
                    1 => $"Join us for coffee with our officers this Saturday at 9 a.m. All {town} residents welcome!",
                    2 => $"Road closure on Main Street until 5 p.m. for a water main repair. Please use Oak Avenue.",
                    3 => "We are hiring! Apply today to join our department and serve the community.",
                    4 => "If you see something suspicious, call 911. Stay safe this weekend.",
                    5 => $"Congratulations to our newest officers, sworn in today at {town} City Hall.",
                    6 => "Scam alert: we will never call asking for gift cards. Hang up and report it.",
                    _ => "Happy birthday to K-9 Rex, who turns 6 today!",
                };
            }
            yield return Post(account, $"o{seed}-{n}", at, text);
        }
    }

    /// <summary>
    /// A wave: <paramref name="agencies"/> of the accounts answer one line-of-duty death (Officer Daniel Reyes of the
    /// Millbrook Police Department) over <paramref name="length"/>, most of them early, in their own words.
    /// </summary>
    public static IEnumerable<Post> Wave(IReadOnlyList<ReplayAccount> accounts, int agencies, DateTimeOffset from, TimeSpan length, int seed)
    {
        var random = new Random(seed);
        var chosen = accounts.OrderBy(_ => random.Next()).Take(agencies).ToList();
        for (var i = 0; i < chosen.Count; i++)
        {
            // Front-loaded: the first agencies within minutes, the last near the end of the stretch.
            var share = Math.Pow((i + random.NextDouble()) / chosen.Count, 2);
            var at = from + TimeSpan.FromSeconds(share * length.TotalSeconds);
            var own = chosen[i].Name;
            var text = (i % 5) switch
            {
                0 => $"The {own} sends its deepest condolences to the Millbrook Police Department on the loss of Officer Daniel Reyes. #MillbrookStrong",
                1 => "Rest in peace, Officer Daniel Reyes. We stand with our brothers and sisters in Millbrook tonight.",
                2 => "Our badges are shrouded in honor of Officer Daniel Reyes of the Millbrook Police Department. #EndOfWatch",
                3 => "Praying for the Millbrook Police family after the line-of-duty death of Officer Daniel Reyes. #MillbrookStrong",
                _ => "Our hearts are with Millbrook. Rest easy, Officer Reyes; we have the watch from here.",
            };
            yield return Post(chosen[i], $"w{seed}-{i}", at, text);
        }
    }

    private static Post Post(ReplayAccount account, string id, DateTimeOffset at, string text) => new()
    {
        Platform = Platforms.Rss,
        PostId = id,
        Account = account.Feed,
        CreatedAt = at,
        Text = text,
        Url = $"{account.Feed.Replace(".xml", "")}/posts/{id}",
    };

    /// <summary>Made-up surnames, each given once ("Ashby", "Belcott", …), so no two ordinary losses share a name.</summary>
    private static IEnumerable<string> UniqueSurnames(Random random)
    {
        var all = (from a in Syllables from b in Syllables from e in Endings select char.ToUpperInvariant(a[0]) + a[1..] + b + e).ToList();
        for (var i = all.Count - 1; i > 0; i--) { var j = random.Next(i + 1); (all[i], all[j]) = (all[j], all[i]); }
        for (var round = 0; ; round++)
            foreach (var name in all) yield return round == 0 ? name : name + "-" + ToLetters(round);
    }

    private static string ToLetters(int n) => n < 26 ? ((char)('A' + n)).ToString() : ToLetters(n / 26 - 1) + (char)('A' + n % 26);
}
