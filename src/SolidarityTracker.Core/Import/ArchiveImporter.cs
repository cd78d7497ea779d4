using SolidarityTracker.Classification;

namespace SolidarityTracker.Import;

/// <summary>
/// Backfills posts from a file: read record by record (constant memory), give each post its agency,
/// classify, store a batch per transaction. Safe to repeat: posts are keyed by (platform, post_id).
/// A bad record is reported as "FILE:LINE: why" and the rest still imports.
/// </summary>
public sealed class ArchiveImporter(PostStore posts, IPostClassifier classifier, TrackerSettings settings, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Formats = ["jsonl", "csv", "twarc2", "x-archive"];

    /// <summary>Posts per transaction: large enough to be fast, small enough that a crash loses little work.</summary>
    public const int BatchSize = 5000;

    /// <summary>Errors kept for the report; the rest are only counted, so a file of garbage cannot fill memory.</summary>
    public const int MaxErrorsReported = 1000;

    public async Task<ImportReport> ImportAsync(string file, string? format, string? agencyId, CancellationToken cancellationToken = default)
    {
        var chosen = format is null ? null : ParseFormat(format);
        agencyId = agencyId?.Trim();
        if (agencyId is { Length: 0 }) throw new BadInputException("--agency: empty agency id");

        await using var stream = Open(file);
        chosen ??= FormatSniffer.Guess(file, stream);
        var reader = CreateReader(chosen, agencyId);
        var agencies = new Agencies(settings);

        var errors = new List<string>();
        int lines = 0, bad = 0, added = 0, updated = 0, unchanged = 0;
        var batch = new List<Post>(BatchSize);
        var names = new Dictionary<string, Agency>(StringComparer.Ordinal);
        using var import = posts.BeginImport();

        // Storing a batch runs on another thread while the next one is read and classified; batches still commit in order.
        Task storing = Task.CompletedTask;
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var full = batch;
            batch = new List<Post>(BatchSize);
            // Classified here, on the reading thread, by the step polling uses too; the storing thread only binds.
            var classified = ClassifiedPosts.Classify(classifier, full);
            var named = agencies.Named(names);
            await storing;
            storing = Task.Run(async () =>
            {
                var saved = await import.SaveAsync(classified, named, time.GetUtcNow(), cancellationToken);
                added += saved.Added;
                updated += saved.Updated;
                unchanged += full.Count - saved.Added - saved.Updated;
            }, cancellationToken);
        }

        try
        {
            await foreach (var record in reader.ReadAsync(stream, file, cancellationToken))
            {
                lines++;
                if (record.Error is not null || record.Post is null)
                {
                    bad++;
                    if (errors.Count < MaxErrorsReported) errors.Add($"{file}:{record.Line}: {record.Error}");
                    continue;
                }
                var post = record.Post;
                var agency = agencyId ?? post.AgencyId ?? agencies.ForHandle(post.Platform, post.Account);
                if (agency is not null && record.AgencyName is { } name && !names.ContainsKey(agency))
                    names[agency] = new Agency(agency, name, null);
                batch.Add(post with { AgencyId = agency });
                if (batch.Count >= BatchSize) await FlushAsync();
            }
            await FlushAsync();
            await storing;
        }
        finally
        {
            // A failed read or classification must not close the import's connection under the batch still being stored.
            await storing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return new ImportReport(file, chosen, lines, added, updated, unchanged, errors) { BadRecords = bad };
    }

    public static string ParseFormat(string value)
    {
        var format = value.Trim().ToLowerInvariant();
        if (Formats.Contains(format)) return format;
        throw new BadInputException($"--format {value}: unknown archive format (expected one of {string.Join(", ", Formats)})");
    }

    private static FileStream Open(string file)
    {
        try
        {
            if (Directory.Exists(file)) throw new BadInputException($"{file}: is a folder, not an archive file");
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BadInputException($"{file}: no such file", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{file}: cannot read ({ex.Message})", ex);
        }
    }

    private IArchiveReader CreateReader(string format, string? agencyId) => format switch
    {
        "jsonl" => new JsonlExportReader(),
        "csv" => new CsvExportReader(),
        "twarc2" => new Twarc2Reader(),
        // tweets.js does not name its author: the agency's one configured X handle stands in when account.js is missing.
        _ => new XArchiveReader(agencyId is null ? null : Agencies.SingleHandle(settings, agencyId, Platforms.X)),
    };

    /// <summary>The agencies of configuration: by id (their names) and by account handle (to assign a post without an agency).</summary>
    private sealed class Agencies
    {
        private readonly Dictionary<string, Agency> _configured = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, string), string> _byHandle = [];

        public Agencies(TrackerSettings settings)
        {
            foreach (var agency in settings.Tracker.Agencies)
            {
                _configured[agency.Id] = new Agency(agency.Id, agency.Name, agency.State);
                foreach (var account in agency.Accounts)
                    _byHandle.TryAdd((account.Platform, Key(account.Platform, account.Address)), agency.Id);
            }
        }

        public string? ForHandle(string platform, string handle) =>
            handle.Length > 0 && _byHandle.TryGetValue((platform, Key(platform, handle)), out var id) ? id : null;

        /// <summary>Configured names win; the file's agency_name names an agency configuration does not know.</summary>
        public IReadOnlyDictionary<string, Agency> Named(Dictionary<string, Agency> fromFile)
        {
            var all = new Dictionary<string, Agency>(fromFile, StringComparer.Ordinal);
            foreach (var (id, agency) in _configured) all[id] = agency;
            return all;
        }

        // Feed URLs compare without case too: an import's account column may differ in case from configuration.
        private static string Key(string platform, string handle) => AccountStore.NormalizeHandle(platform, handle).ToLowerInvariant();

        public static string? SingleHandle(TrackerSettings settings, string agencyId, string platform)
        {
            var handles = settings.Tracker.Agencies.Where(a => a.Id == agencyId)
                .SelectMany(a => a.Accounts).Where(a => a.Platform == platform).Select(a => a.Address).ToList();
            // Spelled as configured (not lower-cased): it becomes the post's account and its link.
            return handles.Count == 1 ? handles[0].Trim().TrimStart('@') : null;
        }
    }
}
