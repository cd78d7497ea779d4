using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Text;

namespace SolidarityTracker.Export;

/// <summary>
/// A condolence roundup for associations: every agency that responded in the period, with its first matching
/// post (local time, a short quote, a link), grouped by state; and the configured agencies not yet heard from.
/// Property names reach the templates in snake_case (FirstPostLocal is first_post_local).
/// </summary>
public sealed record RoundupReport(
    string From, string To, string? Query, string LabelDescription, string? State, string TimeZone,
    IReadOnlyList<RoundupState> States, IReadOnlyList<RoundupState> NotHeardFrom, int Responded, int Silent);
