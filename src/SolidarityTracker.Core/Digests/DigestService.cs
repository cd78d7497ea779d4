using Microsoft.Extensions.Logging.Abstractions;
using SolidarityTracker.Rendering;

namespace SolidarityTracker.Digests;

/// <summary>
/// The digest of one local day, top to bottom: read the day from storage, build the model, render every format
/// from its template, write the files, mail the HTML with its plain-text alternative when asked (once per day), and
/// record the run. Every caller goes through <see cref="RunAsync"/> (the worker's job, `digest`, `run --once`, `demo`),
/// so a digest run is recorded the same way whoever asked for it.
/// </summary>
public sealed class DigestService(
    TrackerSettings settings,
    PostStore posts,
    AccountStore accounts,
    TrackerDatabase database,
    TimeProvider time,
    ILogger<DigestService>? logger = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly DigestSentStore _sent = new(database);
    private readonly RunLog _runs = new(database);

    /// <summary>The shipped templates/ folder, overridden file by file by Digest:Templates.</summary>
    public TemplateFolder Templates { get; } = new(settings.Digest.Templates, Path.Combine(AppContext.BaseDirectory, "templates"));

    /// <summary>Renders the digest of <see cref="DigestRequest.Date"/> in the requested formats into files (and mails it with Send).</summary>
    public async Task<DigestOutcome> RunAsync(DigestRequest request, CancellationToken cancellationToken = default)
    {
        var formats = (request.Formats is { Count: > 0 } f ? f : settings.Digest.EffectiveFormats).Select(x => x.Trim().ToLowerInvariant()).Distinct().ToList();
        foreach (var format in formats)
            if (!DigestOptions.KnownFormats.Contains(format))
                throw new BadInputException($"--format {format}: unknown digest format; expected html, md or txt");

        var model = await BuildModelAsync(request.Date, cancellationToken);
        var rendered = new Dictionary<string, string>();
        foreach (var format in request.Send ? formats.Union(["html", "txt"]) : formats)
            rendered[format] = DigestTemplates.Render(DigestTemplates.Load(Templates, format), model);

        var folder = request.OutputDirectory ?? settings.Digest.OutputDirectory;
        var files = new List<string>();
        foreach (var format in formats)
            files.Add(AtomicFile.WriteAllText(Path.Combine(folder, $"digest-{model.Date}.{format}"), rendered[format]));

        var labelCounts = model.Summary.Labels.ToDictionary(l => l.Name, l => l.Count);
        var outcome = new DigestOutcome(request.Date, files, model.Summary.Posts, labelCounts, Sent: false);
        if (request.Send) outcome = await SendOnceAsync(outcome, model, rendered["html"], rendered["txt"], cancellationToken);
        await _runs.RecordDigestAsync(request.Date, time.GetUtcNow(), CancellationToken.None);
        return outcome;
    }

    /// <summary>
    /// Whether the day's digest needs no catch-up run: it was rendered, and mailed too when Digest:Email is enabled
    /// (a `digest` without --send renders a day, but the morning mail is still owed).
    /// </summary>
    public bool IsDone(DateOnly date) =>
        _runs.DigestRendered(date) && (!settings.Digest.Email.Enabled || _sent.Find(date) is not null);

    /// <summary>The model of a local day as templates see it (`digest`).</summary>
    public async Task<DigestModel> BuildModelAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var zone = settings.TimeZone;
        var (fromUtc, toUtc) = LocalDay.Bounds(date, zone);
        var day = new List<StoredPost>();
        await foreach (var post in posts.QueryAsync(new PostQuery { FromUtc = fromUtc, ToUtc = toUtc }, cancellationToken)) day.Add(post);

        var (prevFrom, prevTo) = LocalDay.Bounds(date.AddDays(-1), zone);
        var previousCounts = Labels.All.ToDictionary(l => l, _ => 0);
        var previousPosts = 0;
        await foreach (var post in posts.QueryAsync(new PostQuery { FromUtc = prevFrom, ToUtc = prevTo }, cancellationToken))
        {
            previousPosts++;
            foreach (var label in post.Classification.Labels)
                if (previousCounts.ContainsKey(label)) previousCounts[label]++;
        }

        return DigestModelBuilder.Build(new DigestInput(
            date, zone, day, previousCounts, previousPosts,
            posts.ProfileChanges(fromUtc, toUtc),
            // All(), not Statuses(): the digest needs each account's error state, not its post count.
            accounts.All(),
            accounts.Agencies(configuredOnly: false),
            time.GetUtcNow(),
            settings.Digest.MaxPostsPerSection,
            DashboardUrl(settings.Web)));
    }

    /// <summary>
    /// Where readers find the dashboard: the first of Web:Urls when Web:Enabled, else null. A wildcard listening
    /// host (0.0.0.0, [::], *, +) is no address a reader can open, so it becomes this machine's name.
    /// </summary>
    public static string? DashboardUrl(WebOptions web)
    {
        if (!web.Enabled || web.UrlList.Count == 0) return null;
        var url = web.UrlList[0];
        foreach (var wildcard in (string[])["://0.0.0.0", "://[::]", "://*", "://+"])
            if (url.Contains(wildcard, StringComparison.Ordinal))
                return url.Replace(wildcard, "://" + System.Net.Dns.GetHostName(), StringComparison.Ordinal);
        return url;
    }

    /// <summary>Parses every template (shipped and overrides) and renders each against a sample day; a broken one throws BadInputException with file:line:col.</summary>
    public IReadOnlyList<string> ValidateTemplates()
    {
        var sample = DigestSample.Model(settings.TimeZone, time.GetUtcNow());
        var checkedFiles = new List<string>();
        foreach (var format in DigestOptions.KnownFormats)
        {
            DigestTemplates.Render(DigestTemplates.Load(Templates, format), sample);
            checkedFiles.Add(Templates.PathOf(DigestTemplates.FileName(format)));
        }
        return checkedFiles;
    }

    public static string Subject(DigestModel model) =>
        $"Solidarity digest {model.Date}: {model.Summary.Posts} posts, " +
        string.Join(", ", model.Summary.Labels.Select(l => $"{l.Count} {l.Name.Replace('_', ' ')}"));

    private async Task<DigestOutcome> SendOnceAsync(DigestOutcome outcome, DigestModel model, string html, string text, CancellationToken cancellationToken)
    {
        var mailer = new DigestMailer(settings.Digest.Email);
        var recipients = string.Join(", ", mailer.Recipients);
        var message = mailer.Compose(Subject(model), html, text);
        if (!await _sent.TryClaimAsync(outcome.Date, recipients, time.GetUtcNow(), cancellationToken))
        {
            var earlier = _sent.Find(outcome.Date);
            _logger.LogWarning("Digest for {Date} was already mailed to {Recipients} at {SentAt}; not mailing it again",
                outcome.Date, earlier?.Recipients, earlier?.SentAt);
            return outcome with { AlreadySentAt = earlier?.SentAt, AlreadySentTo = earlier?.Recipients };
        }
        try
        {
            await mailer.SendAsync(message, cancellationToken);
        }
        catch
        {
            await _sent.ReleaseAsync(outcome.Date);
            throw;
        }
        await _sent.ConfirmAsync(outcome.Date, recipients, time.GetUtcNow(), CancellationToken.None);
        _logger.LogInformation("Digest for {Date} mailed to {Recipients}", outcome.Date, recipients);
        return outcome with { Sent = true };
    }
}
