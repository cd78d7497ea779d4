using Microsoft.Data.Sqlite;
using SolidarityTracker.Import;

namespace SolidarityTracker.Bench;

/// <summary>
/// `bench store [--posts N]`, in one run in a temp folder:
/// 1. raw SQLite (one prepared INSERT, one transaction) into a bare posts-like table: the limit on this machine;
/// 2. the program's import path on the same rows (ArchiveImporter on a JSONL file of the export format: parsed, classified
///    with the registered IPostClassifier, stored through one PostImport in batches of ArchiveImporter.BatchSize), after
///    an untimed warm-up, as a share of raw (target >= 30%);
/// 3. export of N stored posts to CSV (target >= 200,000 rows/s) with the peak working set seen while exporting;
/// 4. full-text queries over the N posts: the FTS5 match, and the first 100 matching posts through PostStore.QueryAsync (medians, target &lt; 100 ms).
/// </summary>
public static class StoreBenchmark
{
    private const int DefaultPosts = 1_000_000;
    private const int CompareRows = 100_000;

    public static Command CreateCommand(CliApp app)
    {
        var posts = new Option<int?>("--posts") { Description = $"Stored posts for the export and search runs (default {DefaultPosts:N0})." };
        var provider = new Option<string?>("--provider")
        {
            Description = "sqlite (default) or postgres: on PostgreSQL (Tracker:ConnectionString, a role that may create databases) in a database of its own, beside PostgreSQL's own COPY.",
        };
        var command = new Command("store", "Import, export and full-text search beside raw SQLite inserts (or PostgreSQL's COPY).") { posts, provider };
        command.SetAction((parse, ct) => parse.GetValue(provider) switch
        {
            null or StoreProviders.Sqlite => RunAsync(app, ct, parse.GetValue(posts) ?? DefaultPosts),
            StoreProviders.Postgres => PostgresStoreBenchmark.RunAsync(app, ct, parse.GetValue(posts) ?? DefaultPosts),
            var other => throw new BadInputException($"--provider {other}: sqlite or postgres"),
        });
        return command;
    }

    public static Task<int> RunAsync(CliApp app, CancellationToken cancellationToken) => RunAsync(app, cancellationToken, DefaultPosts);

    public static async Task<int> RunAsync(CliApp app, CancellationToken cancellationToken, int posts)
    {
        if (posts < 1_000) throw new BadInputException($"--posts {posts}: at least 1000");
        var output = app.Out;
        var classifier = app.Get<IPostClassifier>();
        using var temp = BenchFolder.Create("store");
        var folder = temp.Path;
        var rows = Math.Min(posts, CompareRows);
        output.WriteLine($"bench store: {posts:N0} stored posts, {rows:N0} rows for the insert comparison, in {folder}");
        output.WriteLine($"  classifier {classifier.Version}, SQLite {SqliteVersion(folder)}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        output.WriteLine("  (rates are wall clock; [cpu] is this process's cpu time, steadier when the machine is shared)");
        var corpus = new Corpus(seed: 2016);
        var labelled = Enumerable.Range(0, rows).Select(corpus.Next).ToList();
        var sample = labelled.Select(l => l.Post).ToList();

        var rawCpu = Cpu();
        var raw = RawInsert(Path.Combine(folder, "raw.db"), sample);
        rawCpu = Cpu() - rawCpu;
        output.WriteLine($"  raw insert (bare posts table, one prepared INSERT, one transaction): {Rate(rows, raw)}{CpuNote(rows, TimeSpan.Zero, rawCpu)}");

        var schemaCpu = Cpu();
        var schemaDatabase = new TrackerDatabase(Path.Combine(folder, "schema.db"));
        var schema = Seed(schemaDatabase, labelled, corpus.Agencies);
        schemaCpu = Cpu() - schemaCpu;
        output.WriteLine($"  raw SQL into the real schema (same rows; indexes, classifications, full-text index; one transaction): {Rate(rows, schema)}{CpuNote(rows, TimeSpan.Zero, schemaCpu)}");
        labelled = null!;

        // The file to import is what `export --format jsonl` writes of the same rows.
        var jsonl = Path.Combine(folder, "import.jsonl");
        await using (var file = File.Create(jsonl))
            await new PostExporter(new PostStore(schemaDatabase)).ExportAsync(new PostQuery(), "jsonl", file, cancellationToken);
        sample = null!;
        await WarmUpAsync(folder, jsonl, classifier, cancellationToken);
        var importCpu = Cpu();
        var gc = GcCounts();
        var import = await ImportPathAsync(Path.Combine(folder, "import.db"), jsonl, classifier, cancellationToken);
        importCpu = Cpu() - importCpu;
        var gcNote = GcCounts() - gc;
        var importCpuNote = CpuNote(rows, TimeSpan.Zero, importCpu);
        var share = raw.TotalSeconds / import.TotalSeconds;
        var schemaShare = schema.TotalSeconds / import.TotalSeconds;
        var cpuShare = rawCpu.TotalSeconds / importCpu.TotalSeconds;
        var cpuSchemaShare = schemaCpu.TotalSeconds / importCpu.TotalSeconds;
        output.WriteLine($"  import path (ArchiveImporter, as `import FILE --format jsonl`: stream + parse + classify + store by batches): {Rate(rows, import)} {importCpuNote}");
        output.WriteLine($"    garbage collection while importing: {gcNote}");
        output.WriteLine($"    share of the raw rate (target >= 30%): {share:P0}{Verdict(share >= 0.30)}; per cpu-second, its two threads together: {cpuShare:P0}");
        output.WriteLine($"    share of raw SQL into the real schema: {schemaShare:P0} by wall clock, {cpuSchemaShare:P0} by cpu time");

        var database = new TrackerDatabase(Path.Combine(folder, "store.db"));
        var seedCpu = Cpu();
        var seedTime = Seed(database, Enumerable.Range(CompareRows, posts).Select(corpus.Next), corpus.Agencies);
        output.WriteLine($"  seed: {Rate(posts, seedTime)} (one transaction, prepared statements into the real schema, full-text index){CpuNote(posts, seedCpu)}");

        var store = new PostStore(database);
        var reading = Stopwatch.StartNew();
        var readingCpu = Cpu();
        long read = 0;
        await foreach (var _ in store.ExportRowsAsync(new PostQuery(), cancellationToken)) read++;
        output.WriteLine($"  reading alone (PostStore.ExportRowsAsync, no output): {Rate(read, reading.Elapsed)}{CpuNote(read, readingCpu)}");
        var (exportTime, exported, bytes, peak, before) = await ExportAsync(store, Path.Combine(folder, "export.csv"), cancellationToken);
        var exportRate = exported / exportTime.TotalSeconds;
        output.WriteLine($"  export csv: {Rate(exported, exportTime)} (target >= 200,000 rows/s){Verdict(exportRate >= 200_000)}{CpuNote(exported, TimeSpan.Zero, ExportCpu)}; {bytes / 1e6:N0} MB written; working set {before / 1e6:N0} MB before, peak {peak / 1e6:N0} MB while exporting");

        var searches = await SearchAsync(store, database, cancellationToken);
        var matchMedian = Median(searches.Select(q => q.MatchMs));
        var pageMedian = Median(searches.Select(q => q.PageMs));
        output.WriteLine($"  full-text query over {posts:N0} posts, median of {searches.Count} (target < 100 ms):");
        output.WriteLine($"    FTS5 match, counting every matching post: {matchMedian:N1} ms{Verdict(matchMedian < 100)}");
        output.WriteLine($"    PostStore.QueryAsync, the first 100 matching posts oldest first, with their agencies and labels: {pageMedian:N1} ms{Verdict(pageMedian < 100)}");
        foreach (var q in searches) output.WriteLine($"      {q.Query,-24} match {q.MatchMs,7:N1} ms   first 100 {q.PageMs,7:N1} ms   {q.Count,9:N0} matching posts");
        return TrackerCli.Success;
    }

    internal static TimeSpan ExportCpu;

    /// <summary>This process's CPU time so far. The machine may be shared: rows per CPU second are steadier than wall-clock rates.</summary>
    internal static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    internal static string CpuNote(long rows, TimeSpan since, TimeSpan? spent = null)
    {
        var cpu = spent ?? Cpu() - since;
        return cpu > TimeSpan.Zero ? $" [cpu {cpu.TotalSeconds:N2} s = {rows / cpu.TotalSeconds:N0} rows per cpu-s]" : "";
    }

    internal static string Verdict(bool met) => met ? "" : "  <- below target";

    internal static string Rate(long rows, TimeSpan time) =>
        $"{rows:N0} rows in {time.TotalSeconds:N2} s = {rows / time.TotalSeconds:N0} rows/s";

    internal static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    private static string SqliteVersion(string folder)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version();";
        return (string)command.ExecuteScalar()!;
    }

    private const string BareSchema = """
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY, platform TEXT NOT NULL, post_id TEXT NOT NULL, agency_id TEXT, account TEXT NOT NULL,
            created_at TEXT NOT NULL, url TEXT, text TEXT NOT NULL, is_repost INTEGER NOT NULL, is_reply INTEGER NOT NULL,
            lang TEXT, fetched_at TEXT NOT NULL, UNIQUE (platform, post_id));
        """;

    /// <summary>The limit: rows already in memory, one prepared statement, one transaction, the program's pragmas.</summary>
    private static TimeSpan RawInsert(string path, IReadOnlyList<Post> rows)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        TrackerDatabase.Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        TrackerDatabase.Execute(connection, BareSchema);
        var clock = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO posts (platform, post_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, fetched_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
            """;
        var p = Enumerable.Range(1, 11).Select(i => insert.Parameters.Add($"${i}", DbType.String)).ToArray();
        var now = TrackerDatabase.ToDb(DateTimeOffset.UtcNow);
        insert.Prepare();
        foreach (var post in rows)
        {
            p[0].Value = post.Platform; p[1].Value = post.PostId; p[2].Value = post.AgencyId; p[3].Value = post.Account;
            p[4].Value = TrackerDatabase.ToDb(post.CreatedAt); p[5].Value = post.Url; p[6].Value = post.Text;
            p[7].Value = post.IsRepost ? 1 : 0; p[8].Value = post.IsReply ? 1 : 0; p[9].Value = (object?)post.Lang ?? DBNull.Value; p[10].Value = now;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return clock.Elapsed;
    }

    private readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
    {
        public static GcSnapshot operator -(GcSnapshot a, GcSnapshot b) =>
            new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused, a.Allocated - b.Allocated);

        public override string ToString() =>
            $"{Gen0:N0} gen0, {Gen1:N0} gen1, {Gen2:N0} gen2 collections, paused {Paused.TotalSeconds:N2} s, {Allocated / 1e6:N0} MB allocated";
    }

    private static GcSnapshot GcCounts() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    private const int WarmUpRows = 30_000;

    /// <summary>
    /// An untimed import of the file's first lines into a database of its own, so the timed run measures the import path
    /// as a long import runs it, compiled, rather than the JIT compiling it (which takes a core of two for a while).
    /// </summary>
    private static async Task WarmUpAsync(string folder, string jsonl, IPostClassifier classifier, CancellationToken cancellationToken)
    {
        var head = Path.Combine(folder, "warm-up.jsonl");
        await File.WriteAllLinesAsync(head, File.ReadLines(jsonl).Take(WarmUpRows), cancellationToken);
        await ImportPathAsync(Path.Combine(folder, "warm-up.db"), head, classifier, cancellationToken);
    }

    /// <summary>The program's own import path, as `import FILE --format jsonl` runs it: stream, parse, classify, store by batches.</summary>
    private static async Task<TimeSpan> ImportPathAsync(string path, string jsonl, IPostClassifier classifier, CancellationToken cancellationToken)
    {
        var database = new TrackerDatabase(path);
        var store = new PostStore(database);
        store.Count(); // migrations outside the clock
        var settings = new TrackerSettings(new TrackerOptions { Database = path }, new SourcesOptions(), new PollingOptions(), new DigestOptions(), TimeZoneInfo.Utc);
        var importer = new ArchiveImporter(store, classifier, settings, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var report = await importer.ImportAsync(jsonl, "jsonl", null, cancellationToken);
        if (report.Errors.Count > 0) throw new InvalidOperationException($"the benchmark's own file has bad lines: {report.Errors[0]}");
        return clock.Elapsed;
    }

    /// <summary>N posts straight into the real schema (posts, classifications, the full-text index as PostStore writes it), one transaction.</summary>
    internal static TimeSpan Seed(TrackerDatabase database, IEnumerable<(Post Post, string Kind)> posts, IReadOnlyList<Agency> agencies)
    {
        using var connection = database.Open();
        var clock = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        foreach (var agency in agencies) AccountStore.UpsertAgency(connection, transaction, agency, configured: false);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO posts (platform, post_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, fetched_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id;
            """;
        var p = Enumerable.Range(1, 11).Select(i => insert.Parameters.Add($"${i}", DbType.String)).ToArray();
        using var label = connection.CreateCommand();
        label.Transaction = transaction;
        label.CommandText = """
            INSERT INTO classifications (post_id, labels, condolence_score, memorial_score, safety_reminder_score, evidence, classifier_version, classified_at)
            VALUES (@id, @labels, @c, @m, @s, '[]', 'bench', @now);
            """;
        var lid = label.Parameters.Add("@id", DbType.Int64);
        var llabels = label.Parameters.Add("@labels", DbType.String);
        var lc = label.Parameters.Add("@c", DbType.Double);
        var lm = label.Parameters.Add("@m", DbType.Double);
        var ls = label.Parameters.Add("@s", DbType.Double);
        var now = TrackerDatabase.ToDb(DateTimeOffset.UtcNow);
        long? firstId = null;
        label.Parameters.AddWithValue("@now", now);
        insert.Prepare();
        label.Prepare();
        foreach (var (post, kind) in posts)
        {
            p[0].Value = post.Platform; p[1].Value = post.PostId; p[2].Value = post.AgencyId; p[3].Value = post.Account;
            p[4].Value = TrackerDatabase.ToDb(post.CreatedAt); p[5].Value = post.Url; p[6].Value = post.Text;
            p[7].Value = post.IsRepost ? 1 : 0; p[8].Value = post.IsReply ? 1 : 0; p[9].Value = (object?)post.Lang ?? DBNull.Value; p[10].Value = now;
            lid.Value = (long)insert.ExecuteScalar()!;
            llabels.Value = kind;
            lc.Value = kind.Contains(Labels.Condolence) ? 0.9 : 0.05;
            lm.Value = kind.Contains(Labels.Memorial) ? 0.9 : 0.05;
            ls.Value = kind.Contains(Labels.SafetyReminder) ? 0.9 : 0.05;
            label.ExecuteNonQuery();
            firstId ??= (long)lid.Value!;
        }
        if (firstId is { } first) PostWriter.IndexNewPosts(connection, transaction, first);
        transaction.Commit();
        TrackerDatabase.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return clock.Elapsed;
    }

    internal static async Task<(TimeSpan Time, long Rows, long Bytes, long PeakWorkingSet, long Before)> ExportAsync(PostStore store, string file, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var before = process.WorkingSet64;
        long peak = before;
        using var sampler = new Timer(_ =>
        {
            using var p = Process.GetCurrentProcess();
            var now = p.WorkingSet64;
            long seen;
            while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
        }, null, 0, 25);
        var exporter = new PostExporter(store);
        ExportCpu = Cpu();
        var clock = Stopwatch.StartNew();
        var rows = await OutputFile.WriteAsync(file, TextWriter.Null,
            writer => exporter.ExportAsync(new PostQuery(), "csv", writer, cancellationToken),
            stream => exporter.ExportAsync(new PostQuery(), "csv", stream, cancellationToken));
        var time = clock.Elapsed;
        ExportCpu = Cpu() - ExportCpu;
        await sampler.DisposeAsync();
        return (time, rows, new FileInfo(file).Length, Interlocked.Read(ref peak), before);
    }

    internal static readonly string[] Queries = ["\"Baton Rouge\"", "Millbrook", "mourning band", "vigil OR procession", "suspicious", "\"end of watch\"", "condolences"];

    private sealed record Search(string Query, double MatchMs, double PageMs, long Count);

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static async Task<List<Search>> SearchAsync(PostStore store, TrackerDatabase database, CancellationToken cancellationToken)
    {
        // One untimed query warms the page cache, as a running tracker's would be.
        await foreach (var _ in store.QueryAsync(new PostQuery { FullText = "police", Limit = 100 }, cancellationToken)) { }
        CountMatching(database, "police");
        var results = new List<Search>();
        foreach (var query in Queries)
        {
            var clock = Stopwatch.StartNew();
            var count = CountMatching(database, query);
            var matchMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await foreach (var _ in store.QueryAsync(new PostQuery { FullText = query, Limit = 100 }, cancellationToken)) { }
            results.Add(new Search(query, matchMs, clock.Elapsed.TotalMilliseconds, count));
        }
        return results;
    }

    private static long CountMatching(TrackerDatabase database, string query)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH @q;";
        command.Parameters.AddWithValue("@q", query);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Realistic posts: the wave after an attack (condolences, mourning bands, processions, safety reminders) among
    /// ordinary agency news, 300 agencies on four platforms, X-sized ids, over three weeks of July 2016. Deterministic.
    /// </summary>
    internal sealed class Corpus
    {
        private static readonly string[] Cities = ["Baton Rouge", "Dallas", "Millbrook", "Oakmont", "Springfield", "Riverton", "Fairview", "Kansas City"];
        private static readonly string[] Condolence =
        [
            "Our thoughts and prayers are with {city} PD and the families of the fallen officers. #BlueFamily",
            "{agency} sends our deepest condolences to our brothers and sisters in {city}. We stand with you tonight 🖤💙",
            "Praying for {city} 🙏💙 The men and women of {agency} are with you.",
            "Heartbroken by the news from {city}. Our condolences to the officers' families, colleagues and community.",
        ];
        private static readonly string[] Memorial =
        [
            "Our badges wear a mourning band in honor of the officers killed in {city}. End of watch 7/17/2016. Never forgotten.",
            "Flags at half-staff at {agency} headquarters in memory of the fallen heroes of {city}.",
            "Procession route for the fallen {city} officers: expect delays on Route 9 between 10 am and noon. #EOW",
            "A candlelight vigil for the {city} officers will be held at city hall tonight at 7 pm. All are welcome.",
        ];
        private static readonly string[] Safety =
        [
            "Please remain vigilant and report anything suspicious or out of place. Call 911 in an emergency. #SeeSomethingSaySomething",
            "Reminder: lock your cars and take your valuables inside. Most thefts from vehicles are from unlocked cars.",
            "IRS scam calls are back. Hang up and never pay with gift cards. Report scams to our non-emergency line.",
            "Avoid the area of Main St and 5th Ave while officers investigate. Use alternate routes.",
        ];
        private static readonly string[] Other =
        [
            "Join us for coffee with a cop this Saturday at 9 am at the Main Street diner. Bring your questions!",
            "Congratulations to the 14 recruits who graduated from the academy today. Welcome to {agency}!",
            "Road closures downtown for the summer parade on Sunday, 8 am to 2 pm. See the map on our website.",
            "Arrest made in last week's burglary on Elm Street thanks to tips from residents. Thank you, {city}.",
            "We are hiring! Applications for police officer are open until August 15. Apply on our careers page.",
            "Thank you to the students of Lincoln Elementary for the cards and cookies. You made our day.",
        ];
        private readonly Random _random;
        public IReadOnlyList<Agency> Agencies { get; }
        private readonly string[] _states = ["LA", "TX", "CT", "NY", "CA", "OH", "GA", "MO", "IL", "FL"];

        public Corpus(int seed, int agencies = 300)
        {
            _random = new Random(seed);
            Agencies = Enumerable.Range(0, agencies).Select(i => new Agency($"agency{i:000}", $"{Cities[i % Cities.Length]} Area Police {i}", _states[i % _states.Length])).ToList();
        }

        /// <summary>The post at <paramref name="index"/> (ids are unique by index) and the label it was written for.</summary>
        public (Post Post, string Kind) Next(int index)
        {
            var agency = Agencies[_random.Next(Agencies.Count)];
            var roll = _random.NextDouble();
            var (pool, kind) = roll < 0.2 ? (Condolence, Labels.Condolence) : roll < 0.35 ? (Memorial, Labels.Memorial) : roll < 0.5 ? (Safety, Labels.SafetyReminder) : (Other, "");
            var text = pool[_random.Next(pool.Length)]
                .Replace("{city}", Cities[_random.Next(Cities.Length)])
                .Replace("{agency}", agency.Name);
            if (_random.NextDouble() < 0.3) text += $" https://t.co/{_random.Next():x8}";
            var platform = Platforms.All[index % Platforms.All.Count];
            var id = platform == Platforms.X ? (750000000000000000L + index * 7919L).ToString(CultureInfo.InvariantCulture) : $"{platform[0]}{index:D9}";
            return (new Post
            {
                Platform = platform,
                PostId = id,
                AgencyId = agency.Id,
                Account = $"{agency.Id}_{platform}",
                // Roughly in time order, as polling stores them: two seconds apart on average, up to an hour out of order.
                CreatedAt = new DateTimeOffset(2016, 7, 7, 0, 0, 0, TimeSpan.Zero).AddSeconds(index * 2.0 + _random.Next(-3600, 3600)),
                Url = $"https://example.org/{agency.Id}/status/{id}",
                Text = text,
                IsRepost = _random.NextDouble() < 0.1,
                IsReply = _random.NextDouble() < 0.05,
                Lang = "en",
            }, kind);
        }
    }
}
