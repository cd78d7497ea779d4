using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Text;

namespace SolidarityTracker.Export;

public sealed record RoundupAgency(
    string AgencyId, string AgencyName, string? State, bool Responded,
    DateTimeOffset? FirstPostAt, string? FirstPostLocal, string? Platform, string? Quote,
    // The post's link when it is http or https; null otherwise, so no template can render a javascript: link.
    string? Url, int Posts, string Labels);
