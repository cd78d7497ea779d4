using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SolidarityTracker.Web;

/// <summary>
/// The JSON API: posts (the export's filters and fields, keyset-paged), incidents, account status, label corrections,
/// a health check and the OpenAPI document. A bad parameter is 400 {"error","parameter"}; an unknown post 404.
/// </summary>
public static class ApiEndpoints
{
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Map(IEndpointRouteBuilder web)
    {
        web.MapGet("/healthz", Health);
        web.MapGet("/api/openapi.json", OpenApi);
        web.MapGet("/api/posts", Posts);
        web.MapGet("/api/incidents", Incidents);
        web.MapGet("/api/status", Status);
        web.MapPut("/api/posts/{platform}/{postId}/labels", Correct);
    }

    /// <summary>200 while a connection to the store opens and answers; 503 otherwise.</summary>
    private static async Task Health(HttpContext context, TrackerDatabase database)
    {
        try
        {
            using var connection = database.Open();
            TrackerDatabase.Execute(connection, "SELECT 1;");
            await Write(context, 200, json => { json.WriteStartObject(); json.WriteString("status", "ok"); json.WriteEndObject(); });
        }
        catch (Exception ex) when (ex is DbException or Storage.Postgres.StoreUnavailableException or BadInputException or IOException)
        {
            await Error(context, 503, null, "the store cannot be read");
        }
    }

    private static async Task OpenApi(HttpContext context)
    {
        await using var document = typeof(ApiEndpoints).Assembly.GetManifestResourceStream("SolidarityTracker.Web.openapi.json")!;
        context.Response.ContentType = "application/json; charset=utf-8";
        await document.CopyToAsync(context.Response.Body);
    }

    private static async Task Posts(HttpContext context, PostStore store, TrackerSettings settings)
    {
        WebQuery web;
        try { web = WebQuery.Parse(context.Request.Query, settings, "query", [], WebQuery.DefaultLimit); }
        catch (BadParameterException ex) { await Error(context, 400, ex.Parameter, ex.Message); return; }
        var page = await PageAsync(store, web.Query, context.RequestAborted);
        if (page.Error is not null) { await Error(context, 400, "query", page.Error); return; }
        await Write(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("posts");
            foreach (var post in page.Posts) PostExporter.WriteObject(json, post);
            json.WriteEndArray();
            if (page.Next is { } position) json.WriteString("cursor", PostCursor.Encode(position)); else json.WriteNull("cursor");
            json.WriteEndObject();
        });
    }

    public sealed record Page(IReadOnlyList<StoredPost> Posts, PostPosition? Next, string? Error);

    /// <summary>One page of the export's query: one row more than asked says whether another page follows. A bad full-text query is an error, not an exception.</summary>
    public static async Task<Page> PageAsync(PostStore store, PostQuery query, CancellationToken cancellationToken)
    {
        var limit = query.Limit ?? WebQuery.DefaultLimit;
        var rows = new List<StoredPost>(Math.Min(limit + 1, 1001));
        try
        {
            await foreach (var post in store.ExportRowsAsync(query with { Limit = limit + 1 }, cancellationToken)) rows.Add(post);
        }
        catch (BadInputException ex)
        {
            return new Page([], null, ex.Message.Replace("--query ", ""));
        }
        if (rows.Count <= limit) return new Page(rows, null, null);
        rows.RemoveAt(limit);
        return new Page(rows, PostPosition.Of(rows[^1]), null);
    }

    private static async Task Incidents(HttpContext context, IncidentCatalog catalog)
    {
        (DateOnly From, DateOnly To) range;
        try { range = PageEndpoints.IncidentRange(context.Request.Query, catalog.LatestDay); }
        catch (BadParameterException ex) { await Error(context, 400, ex.Parameter, ex.Message); return; }
        var incidents = await catalog.ListAsync(range.From, range.To, context.RequestAborted);
        await Write(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("incidents");
            foreach (var (id, date, incident) in incidents)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("date", date.ToString("yyyy-MM-dd"));
                json.WriteString("title", incident.Title);
                json.WriteString("kind", incident.Kind);
                json.WriteNumber("posts", incident.PostCount);
                json.WriteStartArray("agencies");
                foreach (var agency in incident.Agencies)
                {
                    json.WriteStartObject();
                    json.WriteString("id", agency.Id);
                    json.WriteString("name", agency.Name);
                    json.WriteString("state", agency.State);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartObject("first_post");
                json.WriteString("platform", incident.First.Platform);
                json.WriteString("agency_id", incident.First.AgencyId);
                json.WriteString("created_at", ExportColumns.Timestamp(TrackerDatabase.FromDb(incident.First.CreatedAt)));
                json.WriteString("url", incident.First.Link);
                json.WriteString("text", incident.First.Text);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static async Task Status(HttpContext context, AccountStore accounts, TrackerSettings settings)
    {
        var rows = accounts.Statuses();
        await Write(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteString("time_zone", settings.TimeZone.Id);
            json.WriteStartArray("accounts");
            foreach (var row in rows)
            {
                var a = row.Account;
                json.WriteStartObject();
                json.WriteString("agency_id", a.AgencyId);
                json.WriteString("agency_name", row.AgencyName);
                json.WriteString("platform", a.Platform);
                json.WriteString("account", a.Handle);
                json.WriteString("current_handle", a.CurrentHandle);
                json.WriteBoolean("enabled", a.Enabled);
                json.WriteString("state", Cli.StatusCommand.State(a));
                Time(json, "last_success_at", a.LastSuccessAt);
                json.WriteString("last_error_kind", a.LastErrorKind);
                json.WriteString("last_error", a.LastError);
                Time(json, "last_error_at", a.LastErrorAt);
                json.WriteNumber("consecutive_failures", a.ConsecutiveFailures);
                Time(json, "next_attempt_at", a.NextAttemptAt);
                json.WriteNumber("posts", row.Posts);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } v) json.WriteString(name, ExportColumns.Timestamp(v)); else json.WriteNull(name);
    }

    /// <summary>PUT {"labels":[…], "by":"…"}: a correction. "by" defaults to "api".</summary>
    private static async Task Correct(HttpContext context, string platform, string postId, LabelCorrections corrections, IncidentCatalog catalog, TimeProvider time)
    {
        IReadOnlyList<string> labels;
        string by;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (body.RootElement.ValueKind != JsonValueKind.Object || !body.RootElement.TryGetProperty("labels", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new BadParameterException("labels", "labels: send {\"labels\":[…]}, an array of label names (empty or [\"other\"] for none)");
            labels = CorrectionInput.Labels(list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()));
            by = CorrectionInput.By(body.RootElement.TryGetProperty("by", out var who) && who.ValueKind == JsonValueKind.String ? who.GetString() : null, "api");
        }
        catch (JsonException) { await Error(context, 400, "labels", "the body is not JSON; send {\"labels\":[…]}"); return; }
        catch (BadParameterException ex) { await Error(context, 400, ex.Parameter, ex.Message); return; }

        var correction = await corrections.CorrectAsync(platform, postId, labels, by, time.GetUtcNow(), context.RequestAborted);
        if (correction is null) { await Error(context, 404, null, $"no stored post {platform}/{postId}"); return; }
        catalog.Invalidate();
        await Write(context, 200, json =>
        {
            json.WriteStartObject();
            json.WriteString("platform", platform);
            json.WriteString("post_id", postId);
            json.WriteStartArray("labels");
            foreach (var label in correction.Labels) json.WriteStringValue(label);
            json.WriteEndArray();
            json.WriteString("corrected_by", correction.By);
            json.WriteString("corrected_at", ExportColumns.Timestamp(correction.At));
            json.WriteEndObject();
        });
    }

    public static Task Error(HttpContext context, int status, string? parameter, string message) =>
        Write(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            if (parameter is not null) json.WriteString("parameter", parameter);
            json.WriteEndObject();
        });

    private static async Task Write(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, Json)) write(json);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory);
    }
}
