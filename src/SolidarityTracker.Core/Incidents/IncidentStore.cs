using Microsoft.Data.Sqlite;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Incidents;

/// <summary>Reads incidents for `incidents`, the dashboard and the alerts; <see cref="Current"/> is what the schedule asks.</summary>
public sealed class IncidentStore(TrackerDatabase database, TrackerSettings settings) : IOpenIncidents
{
    /// <summary>
    /// Incidents still growing: one of their posts was created within Alerts:Incident:Window of <paramref name="now"/>.
    /// While one is open the wave is on (the schedule polls faster).
    /// </summary>
    public IReadOnlyList<Incident> Current(DateTimeOffset now)
    {
        using var connection = database.Open();
        return Query(connection, null, "WHERE i.last_at >= @since", c => c.Parameters.AddWithValue("@since", ToDb(now - settings.Alerts.Incident.Window)));
    }

    /// <summary>
    /// The open incidents as the schedule sees them: the stricken agency when the incident is named after one (with its
    /// state), else the state its title names ("Baton Rouge, LA"), else the state most of its responders are in.
    /// </summary>
    IReadOnlyList<OpenIncident> IOpenIncidents.Open(DateTimeOffset now) => Current(now).Select(i =>
    {
        if (i.Kind == "agency" && i.Key.StartsWith("agency:", StringComparison.Ordinal))
        {
            var id = i.Key["agency:".Length..];
            return new OpenIncident(id, StateOf(id));
        }
        var comma = i.Title.LastIndexOf(", ", StringComparison.Ordinal);
        if (comma > 0 && i.Title.Length - comma == 4 && i.Title[(comma + 2)..].All(char.IsUpper)) return new OpenIncident(null, i.Title[(comma + 2)..]);
        var state = i.Agencies.Select(a => a.State).OfType<string>().GroupBy(s => s, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
        return new OpenIncident(null, state);
    }).ToList();

    private string? StateOf(string agencyId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT state FROM agencies WHERE {SqlDialect.EqualsNoCase(command, "id", "@id")};";
        command.Parameters.AddWithValue("@id", agencyId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Whether any incident is open (see <see cref="Current"/>), cheaply.</summary>
    public bool AnyOpen(DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM incidents WHERE last_at >= @since);";
        command.Parameters.AddWithValue("@since", ToDb(now - settings.Alerts.Incident.Window));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    /// <summary>Incidents whose posts overlap [fromUtc, toUtc), oldest first.</summary>
    public IReadOnlyList<Incident> List(DateTimeOffset? fromUtc = null, DateTimeOffset? toUtc = null)
    {
        using var connection = database.Open();
        return Query(connection, null, "WHERE (CAST(@from AS TEXT) IS NULL OR i.last_at >= @from) AND (CAST(@to AS TEXT) IS NULL OR i.first_at < @to)", c =>
        {
            c.Parameters.AddWithValue("@from", (object?)ToDb(fromUtc) ?? DBNull.Value);
            c.Parameters.AddWithValue("@to", (object?)ToDb(toUtc) ?? DBNull.Value);
        });
    }

    public Incident? Get(long id)
    {
        using var connection = database.Open();
        return Read(connection, null, id);
    }

    internal static Incident? Read(DbConnection connection, DbTransaction? transaction, long id) =>
        Query(connection, transaction, "WHERE i.id = @id", c => c.Parameters.AddWithValue("@id", id)).FirstOrDefault();

    private const string PostColumns = "p.id, p.platform, p.post_id, COALESCE(p.agency_id, p.account), p.url, p.text, COALESCE(c.labels, ''), p.created_at";

    private static IncidentPost ReadPost(DbDataReader r, int at) => new(
        r.GetInt64(at), r.GetString(at + 1), r.GetString(at + 2), r.GetString(at + 3), StringOrNull(r, at + 4), r.GetString(at + 5),
        r.GetString(at + 6).Split(';', StringSplitOptions.RemoveEmptyEntries), FromDb(r.GetString(at + 7)));

    private static List<Incident> Query(DbConnection connection, DbTransaction? transaction, string where, Action<DbCommand> bind)
    {
        var heads = new List<(long Id, string Key, string Kind, string Title, string Aliases, DateTimeOffset First, DateTimeOffset Last, DateTimeOffset Opened, DateTimeOffset Alerted, int Posts, IncidentPost FirstPost)>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                SELECT i.id, i.key, i.kind, i.title, i.aliases, i.first_at, i.last_at, i.opened_at, i.alerted_at,
                       (SELECT COUNT(*) FROM incident_posts ip WHERE ip.incident_id = i.id), {PostColumns}
                FROM incidents i JOIN posts p ON p.id = i.first_post_id LEFT JOIN classifications c ON c.post_id = p.id
                {where}
                ORDER BY i.first_at, i.id;
                """;
            bind(command);
            using var r = command.ExecuteReader();
            while (r.Read())
                heads.Add((r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), FromDb(r.GetString(5)), FromDb(r.GetString(6)),
                    FromDb(r.GetString(7)), FromDb(r.GetString(8)), r.GetInt32(9), ReadPost(r, 10)));
        }
        var incidents = new List<Incident>(heads.Count);
        foreach (var h in heads)
        {
            var agencies = new List<IncidentAgency>();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                SELECT a.agency_id, COALESCE(g.name, a.agency_id), g.state, a.posts, a.alerted, {PostColumns}
                FROM incident_agencies a JOIN posts p ON p.id = a.first_post_id LEFT JOIN classifications c ON c.post_id = p.id
                LEFT JOIN agencies g ON g.id = a.agency_id
                WHERE a.incident_id = @id ORDER BY a.first_at, p.id;
                """;
            command.Parameters.AddWithValue("@id", h.Id);
            using var r = command.ExecuteReader();
            while (r.Read()) agencies.Add(new IncidentAgency(r.GetString(0), r.GetString(1), StringOrNull(r, 2), r.GetInt32(3), r.GetInt32(4) == 1, ReadPost(r, 5)));
            incidents.Add(new Incident(h.Id, h.Key, h.Kind, h.Title, JsonSerializer.Deserialize<List<string>>(h.Aliases)!, h.First, h.Last, h.Opened, h.Alerted, h.Posts, h.FirstPost, agencies));
        }
        return incidents;
    }
}
