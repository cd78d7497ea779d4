using Npgsql;
using NpgsqlTypes;
using SolidarityTracker.Import;
using SolidarityTracker.Storage.Postgres;
using static SolidarityTracker.Bench.StoreBenchmark;

namespace SolidarityTracker.Bench;

/// <summary>
/// `bench store --provider postgres [--posts N]`, against the server of Tracker:ConnectionString, in databases of its own
/// (made at the start, dropped at the end; the role needs CREATEDB):
/// 1. PostgreSQL's own binary COPY of the rows into a bare posts-like table, and into the real schema (with the labels,
///    the generated tsvector and its GIN index): the limits on this machine and server;
/// 2. the program's import path on the same rows (ArchiveImporter on the export's JSONL: parsed, classified, stored by
///    batches through PostImport), after an untimed warm-up, as a share of COPY into the same schema (target >= 50%);
/// 3. export of N stored posts to CSV, rows/s;
/// 4. full-text search over the N posts: PostgreSQL's own count of the tsvector match, and the first 100 matching posts
///    through PostStore.QueryAsync (medians, target &lt; 100 ms).
/// </summary>
public static class PostgresStoreBenchmark
{
    private const int CompareRows = 100_000;
    private const int WarmUpRows = 30_000;

    public static async Task<int> RunAsync(CliApp app, CancellationToken cancellationToken, int posts)
    {
        if (posts < 1_000) throw new BadInputException($"--posts {posts}: at least 1000");
        await using var server = BenchPostgres.For(app, "bench store");
        var output = app.Out;
        var classifier = app.Get<IPostClassifier>();
        using var temp = BenchFolder.Create("store-pg");
        var rows = Math.Min(posts, CompareRows);
        var databases = new Dictionary<string, string>();
        foreach (var name in new[] { "raw", "schema", "warm", "import", "store" }) databases[name] = await server.CreateAsync(name, cancellationToken);
        output.WriteLine($"bench store --provider postgres: {posts:N0} stored posts, {rows:N0} rows for the insert comparison, on {server.Describe} (PostgreSQL {await server.ServerVersionAsync(cancellationToken)})");
        output.WriteLine($"  classifier {classifier.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}; the server shares this machine");
        string On(string name) => databases[name];
        var corpus = new Corpus(seed: 2016);
        var labelled = Enumerable.Range(0, rows).Select(corpus.Next).ToList();

        var copy = await RawCopyAsync(On("raw"), labelled.Select(l => l.Post).ToList(), cancellationToken);
        output.WriteLine($"  raw COPY (binary, bare posts table with its unique key, one transaction): {Rate(rows, copy)}");
        var schema = await SeedAsync(TrackerDatabase.OnPostgres(new PostgresDatabase(On("schema"))), labelled, corpus.Agencies, cancellationToken);
        output.WriteLine($"  raw COPY into the real schema (same rows, with their labels; generated tsvector, GIN and other indexes; one transaction): {Rate(rows, schema)}");

        // The file to import is what `export --format jsonl` writes of the same rows (made from a SQLite copy, untimed).
        var jsonl = Path.Combine(temp.Path, "import.jsonl");
        var staging = new TrackerDatabase(Path.Combine(temp.Path, "staging.db"));
        Seed(staging, labelled, corpus.Agencies);
        await using (var file = File.Create(jsonl))
            await new PostExporter(new PostStore(staging)).ExportAsync(new PostQuery(), "jsonl", file, cancellationToken);
        labelled = null!;
        var head = Path.Combine(temp.Path, "warm-up.jsonl");
        await File.WriteAllLinesAsync(head, File.ReadLines(jsonl).Take(WarmUpRows), cancellationToken);
        await ImportAsync(On("warm"), head, classifier, cancellationToken);
        var import = await ImportAsync(On("import"), jsonl, classifier, cancellationToken);
        var share = copy.TotalSeconds / import.TotalSeconds;
        output.WriteLine($"  import path (ArchiveImporter, as `import FILE --format jsonl`: stream + parse + classify + store by batches): {Rate(rows, import)}");
        var schemaShare = schema.TotalSeconds / import.TotalSeconds;
        output.WriteLine($"    share of the raw COPY rate into the real schema (target >= 50%): {schemaShare:P0}{Verdict(schemaShare >= 0.50)}");
        output.WriteLine($"    share of the raw COPY rate into the bare table: {share:P0}");

        var database = TrackerDatabase.OnPostgres(new PostgresDatabase(On("store")));
        var seed = await SeedAsync(database, Enumerable.Range(CompareRows, posts).Select(corpus.Next), corpus.Agencies, cancellationToken);
        output.WriteLine($"  seed: {Rate(posts, seed)} (binary COPY into posts and classifications of the real schema: generated tsvector, GIN index)");

        var store = new PostStore(database);
        var (exportTime, exported, bytes, peak, before) = await ExportAsync(store, Path.Combine(temp.Path, "export.csv"), cancellationToken);
        output.WriteLine($"  export csv: {Rate(exported, exportTime)}; {bytes / 1e6:N0} MB written; working set {before / 1e6:N0} MB before, peak {peak / 1e6:N0} MB while exporting");

        var searches = await SearchAsync(store, On("store"), cancellationToken);
        var matchMedian = Median(searches.Select(q => q.MatchMs));
        var pageMedian = Median(searches.Select(q => q.PageMs));
        output.WriteLine($"  full-text query over {posts:N0} posts, median of {searches.Count} (target < 100 ms):");
        output.WriteLine($"    PostgreSQL's tsvector match, counting every matching post: {matchMedian:N1} ms{Verdict(matchMedian < 100)}");
        output.WriteLine($"    PostStore.QueryAsync, the first 100 matching posts oldest first, with their agencies and labels: {pageMedian:N1} ms{Verdict(pageMedian < 100)}");
        foreach (var (query, matchMs, pageMs, count) in searches)
            output.WriteLine($"      {query,-24} match {matchMs,7:N1} ms   first 100 {pageMs,7:N1} ms   {count,9:N0} matching posts");
        return TrackerCli.Success;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The limit: rows already in memory, one binary COPY, one transaction.</summary>
    private static async Task<TimeSpan> RawCopyAsync(string database, IReadOnlyList<Post> rows, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await Execute(connection, """
            CREATE TABLE posts (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, platform TEXT NOT NULL, post_id TEXT NOT NULL, agency_id TEXT, account TEXT NOT NULL,
                created_at TEXT NOT NULL, url TEXT, text TEXT NOT NULL, is_repost INTEGER NOT NULL, is_reply INTEGER NOT NULL,
                lang TEXT, fetched_at TEXT NOT NULL, UNIQUE (platform, post_id));
            """, cancellationToken);
        var now = TrackerDatabase.ToDb(DateTimeOffset.UtcNow);
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY posts (platform, post_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, fetched_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var post in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                await WritePostAsync(copy, post, now, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>The columns both COPYs write, in this order: platform, post_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, fetched_at.</summary>
    private static async Task WritePostAsync(NpgsqlBinaryImporter copy, Post post, string fetchedAt, CancellationToken cancellationToken)
    {
        await copy.WriteAsync(post.Platform, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(post.PostId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(post.AgencyId, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(post.Account, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(TrackerDatabase.ToDb(post.CreatedAt), NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(post.Url, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(post.Text, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(post.IsRepost ? 1 : 0, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(post.IsReply ? 1 : 0, NpgsqlDbType.Integer, cancellationToken);
        await copy.WriteAsync(post.Lang, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(fetchedAt, NpgsqlDbType.Text, cancellationToken);
    }

    /// <summary>The program's own import path into a fresh PostgreSQL store (migrated outside the clock).</summary>
    private static async Task<TimeSpan> ImportAsync(string database, string jsonl, IPostClassifier classifier, CancellationToken cancellationToken)
    {
        var store = new PostStore(TrackerDatabase.OnPostgres(new PostgresDatabase(database)));
        store.Count();
        var settings = new TrackerSettings(new TrackerOptions { Provider = StoreProviders.Postgres, ConnectionString = database }, new SourcesOptions(), new PollingOptions(), new DigestOptions(), TimeZoneInfo.Utc);
        var importer = new ArchiveImporter(store, classifier, settings, TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var report = await importer.ImportAsync(jsonl, "jsonl", null, cancellationToken);
        if (report.Errors.Count > 0) throw new InvalidOperationException($"the benchmark's own file has bad lines: {report.Errors[0]}");
        return clock.Elapsed;
    }

    /// <summary>N posts straight into the real schema by binary COPY (posts with their ids, then their labels), one transaction.</summary>
    private static async Task<TimeSpan> SeedAsync(TrackerDatabase database, IEnumerable<(Post Post, string Kind)> posts, IReadOnlyList<Agency> agencies, CancellationToken cancellationToken)
    {
        new PostStore(database).Count(); // migrations outside the clock
        await using var connection = (NpgsqlConnection)database.Open();
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var agency in agencies) AccountStore.UpsertAgency(connection, transaction, agency, configured: false);
        var now = TrackerDatabase.ToDb(DateTimeOffset.UtcNow);
        var kinds = new List<(long Id, string Kind)>();
        long id = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY posts (id, platform, post_id, agency_id, account, created_at, url, text, is_repost, is_reply, lang, fetched_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (post, kind) in posts)
            {
                id++;
                kinds.Add((id, kind));
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
                await WritePostAsync(copy, post, now, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY classifications (post_id, labels, condolence_score, memorial_score, safety_reminder_score, evidence, classifier_version, classified_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (postId, kind) in kinds)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(postId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(kind.Contains(Labels.Condolence) ? 0.9 : 0.05, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(kind.Contains(Labels.Memorial) ? 0.9 : 0.05, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(kind.Contains(Labels.SafetyReminder) ? 0.9 : 0.05, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync("[]", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync("bench", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(now, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await Execute(connection, $"SELECT setval(pg_get_serial_sequence('posts', 'id'), {Math.Max(id, 1)});", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await Execute(connection, "ANALYZE;", cancellationToken);
        return clock.Elapsed;
    }

    private static async Task<List<(string Query, double MatchMs, double PageMs, long Count)>> SearchAsync(PostStore store, string database, CancellationToken cancellationToken)
    {
        await foreach (var _ in store.QueryAsync(new PostQuery { FullText = "police", Limit = 100 }, cancellationToken)) { }
        var results = new List<(string, double, double, long)>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        foreach (var query in Queries)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM posts p WHERE {SqlDialect.FullTextCondition(count, "p", query)};";
            var clock = Stopwatch.StartNew();
            var matching = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            var matchMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await foreach (var _ in store.QueryAsync(new PostQuery { FullText = query, Limit = 100 }, cancellationToken)) { }
            results.Add((query, matchMs, clock.Elapsed.TotalMilliseconds, matching));
        }
        return results;
    }
}
