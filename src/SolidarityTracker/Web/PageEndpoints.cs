using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SolidarityTracker.Alerts;
using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Digests;
using SolidarityTracker.Export;
using SolidarityTracker.Incidents;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Text;
using SolidarityTracker.Rendering;

namespace SolidarityTracker.Web;

/// <summary>
/// The dashboard's pages, server-rendered, no script: today, search (with its CSV/JSON download), a post (with the
/// correction form), incidents with their roundups, sources, alerts, and the login. Every form carries an
/// antiforgery token and every POST checks it.
/// </summary>
public static class PageEndpoints
{
    public const string CsrfField = "csrf";
    public const int SearchPageSize = 50;
    public const int DefaultIncidentDays = 7;

    /// <summary>Agencies not yet heard from named per state on an incident's page; the roundup downloads name them all (a national store has thousands).</summary>
    public const int NotHeardShown = 40;

    /// <summary>Responding agencies shown per state, each with its first post and quote (a national wave has thousands; the roundup downloads have every one).</summary>
    public const int RespondersShown = 100;
    public static readonly IReadOnlyList<string> Pages = ["today", "search", "post", "incidents", "incident", "sources", "alerts", "login", "message"];

    public static void Map(IEndpointRouteBuilder web)
    {
        web.MapGet("/style.css", Style);
        web.MapGet("/", Today);
        web.MapGet("/search", Search);
        web.MapGet("/search.{format:regex(^(csv|json)$)}", Download);
        web.MapGet("/posts/{platform}/{postId}", Post);
        web.MapPost("/posts/{platform}/{postId}/labels", CorrectPost);
        web.MapGet("/incidents", Incidents);
        web.MapGet("/incidents/{id}", Incident);
        web.MapGet("/incidents/{id}/roundup.{format:regex(^(md|html|csv)$)}", Roundup);
        web.MapGet("/sources", Sources);
        web.MapGet("/alerts", Alerts);
        web.MapGet("/login", LoginForm);
        web.MapPost("/login", Login);
        web.MapPost("/logout", Logout);
    }

    private static PageChrome Chrome(HttpContext context, string section)
    {
        var web = context.RequestServices.GetRequiredService<TrackerSettings>().Web;
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new PageChrome(section, !string.IsNullOrEmpty(web.Password), context.User.Identity?.IsAuthenticated == true, tokens.RequestToken ?? "");
    }

    private static Task Html(HttpContext context, string page, string section, string title, object model, int status = 200) =>
        Send(context, context.RequestServices.GetRequiredService<PageRenderer>().Render(page, title, model, Chrome(context, section)), status);

    /// <summary>A page whose body is kept while <paramref name="key"/> lives (see <see cref="PageRenderer.RenderKept"/>); <paramref name="model"/> is only built when the body is rendered.</summary>
    private static Task Html(HttpContext context, string page, string section, string title, object key, Func<object> model) =>
        Send(context, context.RequestServices.GetRequiredService<PageRenderer>().RenderKept(page, title, key, model, Chrome(context, section)), 200);

    private static async Task Send(HttpContext context, string html, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static Task Message(HttpContext context, int status, string title, string text) =>
        Html(context, "message", "", title, new { heading = title, text }, status);

    private static async Task Style(HttpContext context, PageRenderer renderer)
    {
        context.Response.ContentType = "text/css; charset=utf-8";
        context.Response.Headers.CacheControl = "public, max-age=300";
        await context.Response.SendFileAsync(renderer.PathOf("web/style.css"), context.RequestAborted);
    }

    private static string Local(DateTimeOffset? at, TimeZoneInfo zone) =>
        at is { } t ? LocalDay.ToLocal(t, zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : "";

    private static string PostPath(string platform, string postId) => $"/posts/{Uri.EscapeDataString(platform)}/{Uri.EscapeDataString(postId)}";

    // ---- today

    /// <summary>Today (or `?date=`, another local day): counts, incidents, the hourly chart, accounts in trouble.</summary>
    private static async Task Today(HttpContext context, IncidentCatalog catalog)
    {
        var today = catalog.Today;
        DateOnly date;
        try { date = Cli.CliOptions.ParseDate(context.Request.Query["date"].ToString() is { Length: > 0 } d ? d : null, "date") ?? today; }
        catch (BadInputException ex) { await Message(context, 400, "Bad date", ex.Message); return; }
        var day = await catalog.DayAsync(date, context.RequestAborted);
        var incidents = IncidentCatalog.Of(date, day).Select(i => IncidentRow(i)).ToList();
        var latest = catalog.LatestDay;
        await Html(context, "today", "today", date == today ? $"Today, {day.Date}" : day.Date, new
        {
            digest = day,
            incidents,
            is_today = date == today,
            latest = !day.HasPosts && latest != date ? latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            previous = date.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            next = date < today ? date.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        });
    }

    private static object IncidentRow(DayIncident i) => new
    {
        id = i.Id,
        link = $"/incidents/{i.Id}",
        date = i.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        title = i.Incident.Title,
        kind = i.Incident.Kind,
        agencies = i.Incident.AgencyCount,
        posts = i.Incident.PostCount,
        first_time = i.Incident.First.Time,
        first_agency = i.Incident.First.AgencyName,
        labels = i.Incident.Labels.Select(l => new { l.Name, l.Title, l.Count }).ToList(),
    };

    // ---- search

    private static IReadOnlyList<string> LabelChoices => [.. Labels.All, Labels.Other];

    private static async Task Search(HttpContext context, PostStore store, TrackerSettings settings)
    {
        WebQuery? web = null;
        string? error = null;
        ApiEndpoints.Page page = new([], null, null);
        try
        {
            web = WebQuery.Parse(context.Request.Query, settings, "q", [], SearchPageSize);
            page = await ApiEndpoints.PageAsync(store, web.Query, context.RequestAborted);
            error = page.Error;
        }
        catch (BadParameterException ex)
        {
            error = ex.Message;
        }
        string Value(string key) => context.Request.Query[key].ToString();
        var zone = settings.TimeZone;
        var model = new
        {
            q = Value("q"), from = Value("from"), to = Value("to"), label = Value("label"), agency = Value("agency"), platform = Value("platform"), state = Value("state"),
            labels = LabelChoices,
            platforms = Platforms.All,
            error,
            posts = page.Posts.Select(p => PostRow(p, zone)).ToList(),
            next = web is not null && page.Next is { } next ? web.Link("/search", ("cursor", PostCursor.Encode(next))) : null,
            first = web is not null && web.Given.ContainsKey("cursor") ? web.Link("/search", ("cursor", null)) : null,
            csv = web?.Link("/search.csv", ("cursor", null), ("limit", null)),
            json = web?.Link("/search.json", ("cursor", null), ("limit", null)),
        };
        await Html(context, "search", "search", "Search", model, error is null ? 200 : 400);
    }

    private static object PostRow(StoredPost p, TimeZoneInfo zone) => new
    {
        link = PostPath(p.Post.Platform, p.Post.PostId),
        platform = DigestModelBuilder.PlatformLook(p.Post.Platform).Name,
        agency = p.AgencyName ?? p.Post.AgencyId ?? p.Post.Account,
        account = p.Post.Account,
        time = Local(p.Post.CreatedAt, zone),
        text = p.Post.Text,
        url = WebLink.SafeLink(p.Post.Url),
        labels = p.Classification.Labels,
    };

    /// <summary>The search's filter as the export writes it, whole (no paging), streamed as it is read.</summary>
    private static async Task Download(HttpContext context, string format, PostStore store, TrackerSettings settings)
    {
        WebQuery web;
        try { web = WebQuery.Parse(context.Request.Query, settings, "q", [], 1); }
        catch (BadParameterException ex) { await Message(context, 400, "Bad search", ex.Message); return; }
        // The exporter writes synchronously (CsvHelper, its own JSON chunks); a download may, the rest of the site may not.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        context.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"posts.{format}\"";
        try
        {
            await new PostExporter(store).ExportAsync(web.Query with { Limit = null }, format, context.Response.Body, context.RequestAborted);
        }
        catch (BadInputException ex) when (!context.Response.HasStarted)
        {
            context.Response.Headers.ContentDisposition = default;
            await Message(context, 400, "Bad search", ex.Message.Replace("--query ", ""));
        }
    }

    // ---- one post

    private static async Task Post(HttpContext context, string platform, string postId, PostStore store, IPostClassifier classifier, TrackerSettings settings)
    {
        var details = await store.FindAsync(platform, postId, context.RequestAborted);
        if (details is null) { await Message(context, 404, "No such post", $"No post {platform}/{postId} is stored."); return; }
        var zone = settings.TimeZone;
        var stored = details.Stored;
        var result = stored.Classification;
        var now = classifier.Classify(stored.Post.Text);
        var model = new
        {
            post = PostRow(stored, zone),
            post_id = stored.Post.PostId,
            is_repost = stored.Post.IsRepost,
            is_reply = stored.Post.IsReply,
            lang = stored.Post.Lang,
            state = stored.AgencyState,
            deleted = Local(stored.DeletedAt, zone),
            edited = Local(stored.Post.EditedAt, zone),
            versions = details.Versions.Select(v => new { v.Text, replaced = Local(v.ReplacedAt, zone) }).ToList(),
            profile = details.Profile is { } profile ? new { name = profile.DisplayName, avatar = WebLink.SafeLink(profile.AvatarUrl), seen = Local(profile.SeenAt, zone) } : null,
            scores = Labels.All.Select(l => new
            {
                label = l,
                title = DigestModelBuilder.LabelLooks[l].Title,
                score = result.Score(l).ToString("0.00", CultureInfo.InvariantCulture),
                has = result.Has(l),
                classifier_has = now.Has(l),
            }).ToList(),
            evidence = result.Evidence.Select(e => new { e.Label, e.Phrase, weight = e.Weight.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) }).ToList(),
            classifier = result.ClassifierVersion,
            classifier_now = now.Labels,
            corrections = details.Corrections.Select(c => new { c.Labels, previous = c.PreviousLabels, by = c.By, at = Local(c.At, zone) }).ToList(),
            action = PostPath(stored.Post.Platform, stored.Post.PostId) + "/labels",
            saved = context.Request.Query.ContainsKey("saved"),
        };
        await Html(context, "post", "search", $"Post {stored.Post.Platform}/{stored.Post.PostId}", model);
    }

    private static async Task CorrectPost(HttpContext context, string platform, string postId, IAntiforgery antiforgery, LabelCorrections corrections, IncidentCatalog catalog, TimeProvider time)
    {
        if (!await ValidForm(context, antiforgery)) return;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        IReadOnlyList<string> labels;
        try { labels = CorrectionInput.Labels(form["labels"]); }
        catch (BadParameterException ex) { await Message(context, 400, "Bad correction", ex.Message); return; }
        var by = CorrectionInput.By(form["by"], "web");
        var correction = await corrections.CorrectAsync(platform, postId, labels, by, time.GetUtcNow(), context.RequestAborted);
        if (correction is null) { await Message(context, 404, "No such post", $"No post {platform}/{postId} is stored."); return; }
        catalog.Invalidate();
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = PostPath(platform, postId) + "?saved=1";
    }

    /// <summary>A form from another site (no or a wrong token) is refused with 400 before anything is read from it.</summary>
    private static async Task<bool> ValidForm(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            await Message(context, 400, "Form refused", "This form did not come from this dashboard, or it expired. Reload the page and send it again.");
            return false;
        }
    }

    // ---- incidents

    public static (DateOnly From, DateOnly To) IncidentRange(IQueryCollection query, DateOnly today) => DateRange(query, today, []);

    /// <summary>from and to (local dates, at most <see cref="IncidentCatalog.MaxDays"/> days, the last week by default); any key but those and <paramref name="others"/> is a bad parameter.</summary>
    public static (DateOnly From, DateOnly To) DateRange(IQueryCollection query, DateOnly today, IReadOnlyList<string> others)
    {
        DateOnly? Date(string key)
        {
            var value = query[key].ToString();
            if (string.IsNullOrWhiteSpace(value)) return null;
            try { return Cli.CliOptions.ParseDate(value.Trim(), key); }
            catch (BadInputException ex) { throw new BadParameterException(key, ex.Message); }
        }
        foreach (var key in query.Keys)
            if (key is not ("from" or "to") && !others.Contains(key))
                throw new BadParameterException(key, $"{key}: unknown parameter (expected {string.Join(", ", (string[])["from", "to", .. others])})");
        var to = Date("to") ?? today;
        var from = Date("from") ?? to.AddDays(1 - DefaultIncidentDays);
        if (from > to) throw new BadParameterException("from", $"from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}");
        if (to.DayNumber - from.DayNumber >= IncidentCatalog.MaxDays) throw new BadParameterException("from", $"at most {IncidentCatalog.MaxDays} days at a time");
        return (from, to);
    }

    private static async Task Incidents(HttpContext context, IncidentCatalog catalog)
    {
        (DateOnly From, DateOnly To) range;
        try { range = IncidentRange(context.Request.Query, catalog.LatestDay); }
        catch (BadParameterException ex) { await Message(context, 400, "Bad dates", ex.Message); return; }
        var incidents = await catalog.ListAsync(range.From, range.To, context.RequestAborted);
        await Html(context, "incidents", "incidents", "Incidents", new
        {
            from = range.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to = range.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            incidents = incidents.Select(IncidentRow).ToList(),
        });
    }

    private static async Task Incident(HttpContext context, string id, IncidentCatalog catalog)
    {
        var incident = await catalog.FindAsync(id, context.RequestAborted);
        if (incident is null) { await Message(context, 404, "No such incident", $"No incident {id}; the list shows the ones of the last days."); return; }
        var roundup = await catalog.RoundupAsync(incident, context.RequestAborted);
        var i = incident.Incident;
        // The roundup is replaced when the day's model is read again or a correction drops it: the body is kept with it.
        await Html(context, "incident", "incidents", i.Title, roundup, () => new
        {
            incident = IncidentRow(incident),
            aliases = i.Aliases,
            quotes = i.Quotes.Select(q => new { agency = q.AgencyName, time = q.Time, text = q.Text, link = PostPath(q.Platform, q.PostId), url = q.Link }).ToList(),
            roundup,
            downloads = RoundupWriter.Formats.Select(f => new { format = f, link = $"/incidents/{id}/roundup.{f}" }).ToList(),
            not_heard_shown = NotHeardShown,
            responders_shown = RespondersShown,
        });
    }

    private static async Task Roundup(HttpContext context, string id, string format, IncidentCatalog catalog, TemplateFolder templates)
    {
        var incident = await catalog.FindAsync(id, context.RequestAborted);
        if (incident is null) { await Message(context, 404, "No such incident", $"No incident {id}."); return; }
        var report = await catalog.RoundupAsync(incident, context.RequestAborted);
        var text = new StringWriter();
        await new RoundupWriter(templates).WriteAsync(report, format, text);
        context.Response.ContentType = format switch { "md" => "text/markdown; charset=utf-8", "csv" => "text/csv; charset=utf-8", _ => "text/html; charset=utf-8" };
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"roundup-{id}.{format}\"";
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    // ---- sources and alerts

    private static async Task Sources(HttpContext context, AccountStore accounts, TrackerSettings settings)
    {
        var platform = context.Request.Query["platform"].ToString();
        var failing = context.Request.Query["failing"].ToString() is "1" or "on" or "true";
        var q = context.Request.Query["q"].ToString().Trim();
        var zone = settings.TimeZone;
        var all = accounts.Statuses();
        var rows = all
            .Where(r => platform.Length == 0 || r.Account.Platform == platform)
            .Where(r => !failing || r.Account.ConsecutiveFailures > 0)
            .Where(r => q.Length == 0 || r.AgencyName.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Account.AgencyId.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Account.Handle.Contains(q, StringComparison.OrdinalIgnoreCase))
            .Select(r => new
            {
                agency = r.AgencyName,
                agency_id = r.Account.AgencyId,
                platform = DigestModelBuilder.PlatformLook(r.Account.Platform).Name,
                handle = r.Account.Handle,
                current_handle = r.Account.CurrentHandle,
                state = Cli.StatusCommand.State(r.Account),
                link = WebLink.SafeLink(r.Account.Handle),
                enabled = r.Account.Enabled,
                last_success = Local(r.Account.LastSuccessAt, zone),
                failures = r.Account.ConsecutiveFailures,
                error_kind = r.Account.LastErrorKind,
                error = r.Account.LastError,
                error_at = Local(r.Account.LastErrorAt, zone),
                next = r.Account.NextAttemptAt is null ? "now" : Local(r.Account.NextAttemptAt, zone),
                posts = r.Posts,
            }).ToList();
        await Html(context, "sources", "sources", "Sources", new
        {
            rows,
            total = all.Count,
            failing_count = all.Count(r => r.Account.ConsecutiveFailures > 0),
            platform,
            failing,
            q,
            platforms = Platforms.All,
            time_zone = zone.Id,
        });
    }

    public static readonly IReadOnlyList<string> AlertStatuses = ["pending", "sent", "failed"];

    /// <summary>
    /// The outbox (what `alerts` lists): every alert raised in the chosen local days, newest first, with each channel's
    /// delivery (sent when, attempts, the last error, the next attempt), and a link to the incident it is about.
    /// </summary>
    private static async Task Alerts(HttpContext context, AlertLog log, IncidentStore incidents, IncidentCatalog catalog, TrackerSettings settings)
    {
        var zone = settings.TimeZone;
        var status = context.Request.Query["status"].ToString().Trim();
        (DateOnly From, DateOnly To) range;
        try
        {
            if (status.Length > 0 && !AlertStatuses.Contains(status))
                throw new BadParameterException("status", $"status: unknown value '{status}' (expected {string.Join(", ", AlertStatuses)})");
            range = DateRange(context.Request.Query, catalog.Today, ["status"]);
        }
        catch (BadParameterException ex) { await Message(context, 400, "Bad parameter", ex.Message); return; }
        var (fromUtc, _) = LocalDay.Bounds(range.From, zone);
        var (_, toUtc) = LocalDay.Bounds(range.To, zone);
        var all = log.List(fromUtc, toUtc);
        var links = new Dictionary<long, string?>();
        var rows = new List<object>();
        foreach (var alert in all.Reverse())
        {
            if (status.Length > 0 && !alert.Deliveries.Any(d => d.Status == status)) continue;
            string? incidentLink = null;
            if (alert.IncidentId is { } incidentId && !links.TryGetValue(incidentId, out incidentLink))
            {
                if (incidents.Get(incidentId) is { } stored)
                {
                    var day = LocalDay.Of(stored.FirstAt, zone);
                    var id = IncidentCatalog.IdOf(day, stored.Key);
                    incidentLink = await catalog.FindAsync(id, context.RequestAborted) is not null
                        ? $"/incidents/{Uri.EscapeDataString(id)}"
                        : $"/incidents?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}";
                }
                links[incidentId] = incidentLink;
            }
            rows.Add(new
            {
                kind = alert.Kind,
                title = alert.Title,
                raised = Local(alert.CreatedAt, zone),
                held = alert.Held,
                incident = incidentLink,
                deliveries = alert.Deliveries.Select(d => new
                {
                    channel = d.Channel,
                    status = d.Status,
                    attempts = d.Attempts,
                    sent = Local(d.SentAt, zone),
                    next = d.Status == "pending" ? Local(d.NextAttemptAt, zone) : "",
                    error = d.LastError,
                }).ToList(),
            });
        }
        var deliveries = all.SelectMany(a => a.Deliveries).ToList();
        await Html(context, "alerts", "alerts", "Alerts", new
        {
            alerts = rows,
            from = range.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to = range.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            status,
            statuses = AlertStatuses,
            total = all.Count,
            pending = deliveries.Count(d => d.Status == "pending"),
            sent = deliveries.Count(d => d.Status == "sent"),
            failed = deliveries.Count(d => d.Status == "failed"),
            time_zone = zone.Id,
        });
    }

    // ---- login

    private static Task LoginForm(HttpContext context, TrackerSettings settings) =>
        Html(context, "login", "login", "Log in", new
        {
            back = WebSecurity.LocalReturn(context.Request.Query["return"]),
            error = (string?)null,
            needed = !string.IsNullOrEmpty(settings.Web.Password),
        });

    private static async Task Login(HttpContext context, TrackerSettings settings, LoginThrottle throttle, IAntiforgery antiforgery)
    {
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsRefused(address))
        {
            await Html(context, "login", "login", "Log in", new { back = "/", error = "Too many failed logins from this address; wait a minute.", needed = true }, StatusCodes.Status429TooManyRequests);
            return;
        }
        if (!await ValidForm(context, antiforgery)) return;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var back = WebSecurity.LocalReturn(form["return"]);
        var password = settings.Web.Password;
        if (string.IsNullOrEmpty(password) || !WebSecurity.SecretMatches(form["password"], password))
        {
            throttle.Fail(address);
            await Html(context, "login", "login", "Log in", new { back, error = "Wrong password.", needed = true }, StatusCodes.Status401Unauthorized);
            return;
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard")], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = back;
    }

    private static async Task Logout(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await ValidForm(context, antiforgery)) return;
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = "/login";
    }
}
