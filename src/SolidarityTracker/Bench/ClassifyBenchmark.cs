namespace SolidarityTracker.Bench;

/// <summary>
/// `bench classify`: posts per second of the classifier on one core and on all cores over 100,000 posts of
/// realistic length, beside the raw limits (a bare lower-case + whitespace split of the same texts, and the
/// classifier's own tokenizer alone), with the model's load time and memory before and after.
/// </summary>
public static class ClassifyBenchmark
{
    private const int Posts = 100_000;

    public static async Task<int> RunAsync(CliApp app, CancellationToken cancellationToken)
    {
        var output = app.Out;
        var c = CultureInfo.InvariantCulture;

        var load = Stopwatch.StartNew();
        var lexicon = Lexicon.Parse(Lexicon.ReadEmbedded("lexicon.txt"), "lexicon.txt");
        var classifier = new LexiconClassifier(lexicon);
        classifier.Classify("warm up the first call");
        load.Stop();
        await output.WriteLineAsync(string.Format(c, "model load: {0:F1} ms ({1} phrases, version {2})", load.Elapsed.TotalMilliseconds, lexicon.PhraseCount, classifier.Version));

        var texts = GenerateTexts(Posts, seed: 7);
        var averageLength = texts.Average(t => t.Length);
        await output.WriteLineAsync(string.Format(c, "posts: {0:N0} generated from the labelled data's phrasing, {1:F0} characters on average", Posts, averageLength));

        // Warm-up so the timed runs see tiered-up code.
        RunSingle(classifier, texts, 20_000);
        RawLowercaseSplit(texts, 20_000);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var workingSetBefore = Environment.WorkingSet;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var single = Stopwatch.StartNew();
        var labelled = RunSingle(classifier, texts, texts.Length);
        single.Stop();
        var allocatedPerPost = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)texts.Length;

        var parallel = Stopwatch.StartNew();
        RunParallel(classifier, texts, cancellationToken);
        parallel.Stop();

        var raw = Stopwatch.StartNew();
        RawLowercaseSplit(texts, texts.Length);
        raw.Stop();

        var tokenizeOnly = Stopwatch.StartNew();
        var buffer = new TokenBuffer();
        foreach (var text in texts) classifier.Tokenize(text, buffer);
        tokenizeOnly.Stop();

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetAfter = Environment.WorkingSet;

        double Rate(Stopwatch sw) => texts.Length / sw.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Format(c, "classify, one core:          {0,12:N0} posts/s  ({1:F0} ms; {2:N0} posts got a label)", Rate(single), single.Elapsed.TotalMilliseconds, labelled));
        await output.WriteLineAsync(string.Format(c, "classify, all {0} cores:       {1,12:N0} posts/s  ({2:F0} ms)", Environment.ProcessorCount, Rate(parallel), parallel.Elapsed.TotalMilliseconds));
        await output.WriteLineAsync(string.Format(c, "raw limit, lower+split:      {0,12:N0} posts/s  (ToLowerInvariant and a whitespace split, nothing else)", Rate(raw)));
        await output.WriteLineAsync(string.Format(c, "raw limit, tokenizer only:   {0,12:N0} posts/s  (the classifier's own pass: fold, URLs, hashtags, vocabulary lookups)", Rate(tokenizeOnly)));
        await output.WriteLineAsync(string.Format(c, "allocated per post (1 core): {0,12:N0} bytes    (the result: labels, scores, evidence)", allocatedPerPost));
        await output.WriteLineAsync(string.Format(c, "managed heap before/after:   {0,12:N1} / {1:N1} MB (texts included, after a full collection)", heapBefore / 1e6, heapAfter / 1e6));
        await output.WriteLineAsync(string.Format(c, "working set before/after:    {0,12:N1} / {1:N1} MB", workingSetBefore / 1e6, workingSetAfter / 1e6));
        return TrackerCli.Success;
    }

    private static int RunSingle(LexiconClassifier classifier, string[] texts, int count)
    {
        var labelled = 0;
        for (var i = 0; i < count; i++)
            if (classifier.Classify(texts[i]).Labels.Count > 0) labelled++;
        return labelled;
    }

    private static void RunParallel(LexiconClassifier classifier, string[] texts, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, Environment.ProcessorCount, options, worker =>
        {
            for (var i = worker; i < texts.Length; i += Environment.ProcessorCount) classifier.Classify(texts[i]);
        });
    }

    private static int RawLowercaseSplit(string[] texts, int count)
    {
        var tokens = 0;
        Span<char> lower = stackalloc char[4096];
        for (var i = 0; i < count; i++)
        {
            var text = texts[i].AsSpan();
            if (text.Length > lower.Length) text = text[..lower.Length];
            var written = text.ToLowerInvariant(lower);
            foreach (var _ in lower[..written].Split(' ')) tokens++;
        }
        return tokens;
    }

    /// <summary>Posts of one to four sentences mixed from phrasing like the labelled data's, with handles, hashtags, emoji and links.</summary>
    internal static string[] GenerateTexts(int count, int seed)
    {
        var random = new Random(seed);
        var texts = new string[count];
        var parts = new List<string>(8);
        for (var i = 0; i < count; i++)
        {
            parts.Clear();
            if (random.Next(10) == 0) parts.Add($"RT @{Handles[random.Next(Handles.Length)]}:");
            else if (random.Next(8) == 0) parts.Add($"@{Handles[random.Next(Handles.Length)]}");
            var sentences = 1 + random.Next(4);
            for (var s = 0; s < sentences; s++) parts.Add(Sentences[random.Next(Sentences.Length)]);
            if (random.Next(3) == 0) parts.Add(Tags[random.Next(Tags.Length)]);
            if (random.Next(4) == 0) parts.Add($"https://t.co/{random.Next(1_000_000):x6}");
            var text = string.Join(' ', parts);
            texts[i] = random.Next(20) == 0 ? text.ToUpperInvariant() : text;
        }
        return texts;
    }

    private static readonly string[] Handles = ["BRPD", "OakmontPD", "LakeCountySO", "StatePatrolHQ", "BayviewPolice", "ElmwoodFD", "SPVM", "PoliciaSanJuan", "NWSBoston", "CityOfOakmont"];

    private static readonly string[] Tags = ["#EOW", "#NeverForget", "#BackTheBlue", "#BlueLivesMatter", "#PoliceWeek", "#9PMRoutine", "#DallasStrong", "🙏💙", "🖤💙🖤", "🕯️", "🇺🇸", "#DriveSober", "💙"];

    private static readonly string[] Sentences =
    [
        "Our thoughts and prayers are with the families of the fallen.",
        "We stand with our brothers and sisters in Dallas tonight.",
        "Hamden PD sends our deepest condolences to Baton Rouge.",
        "Our badge wears a mourning band in honor of the officers killed in Baton Rouge.",
        "Sgt. Jane Doe, EOW 7/17/2016. Never forgotten.",
        "Procession route for Officer Brooks: expect delays on Rte 9.",
        "Please stay vigilant and report anything suspicious to 911.",
        "Reminder: lock your cars and take your valuables inside.",
        "IRS scam calls are back. Hang up.",
        "Avoid the area of Main St while officers work the scene.",
        "Memorial Day SALE at the Police Athletic League thrift store! 30% off everything this weekend.",
        "Memorial Drive is closed between 4th and 9th Street for water main repairs.",
        "Thank you to our amazing residents for the cards, the meals and the coffee this week!",
        "Officers arrested a 34-year-old man for DUI after he crashed into a utility pole on Oak Ave.",
        "NOW HIRING: Police Officer, starting pay $62,000. Apply by June 30.",
        "Congratulations to Sgt. Mike Tolbert on his retirement after 32 years of service!",
        "Do you recognize this man? Detectives want to speak with him about a theft at the Quick Mart.",
        "Stay safe out there, brothers and sisters.",
        "Join us for our Police Week Open House on Saturday! Tour the station and meet our K9s.",
        "Flags at all county buildings will be flown at half-staff through sunset Friday in honor of Trooper Ray Allen.",
        "A candlelight vigil for Officer Brooks will be held tonight at 7 PM on the steps of City Hall.",
        "WINTER STORM WARNING in effect until Friday 6 AM. Stay off the roads if you can.",
        "Don't drink and drive this weekend. Plan a sober ride.",
        "Funeral services will be held Saturday at 10 AM at First Baptist Church, 210 Elm St.",
        "Today marks five years since we lost K9 Officer Jaeger.",
        "Nuestras condolencias a la familia del oficial Ramírez.",
        "Descanse en paz, agente. Fin de guardia.",
        "Eviten la zona de la calle 5 por un incidente policial en curso.",
        "Toutes nos condoléances à la famille et aux proches du gendarme décédé cette nuit.",
        "Soyez vigilants et signalez tout comportement suspect au 911.",
        "Les drapeaux sont en berne aujourd'hui en hommage à l'agent Tremblay.",
        "Our officers had a blast reading to kids at the public library today.",
        "Traffic unit will be conducting speed enforcement on Oak Ave this week.",
        "The suspect is in custody and there is no threat to the public.",
        "Coffee with a Cop this Thursday at Bean There Café, 8–10 AM. Come say hi!",
        "Heartbreaking news out of Kendall County. Please keep the deputies and their families in your prayers.",
        "Heat advisory today: check on elderly neighbors and never leave kids or pets in a parked car.",
        "The Records Division has moved to the second floor of City Hall.",
        "Shelter in place: residents near Oak & 3rd should stay inside and lock doors.",
        "Rest easy, K9 Rex. Your handler and your pack will carry your memory.",
    ];
}
