using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>Filters for stored posts; times are UTC instants, [FromUtc, ToUtc).</summary>
public sealed record PostQuery
{
    public DateTimeOffset? FromUtc { get; init; }
    public DateTimeOffset? ToUtc { get; init; }
    public string? Label { get; init; }
    public string? AgencyId { get; init; }
    public string? Platform { get; init; }
    public string? State { get; init; }
    public string? FullText { get; init; }
    public bool IncludeDeleted { get; init; }
    public bool IncludeRaw { get; init; }
    /// <summary>False skips parsing each post's evidence (its Evidence list is then empty): exports and timelines do not show it, and it is the costliest column to read.</summary>
    public bool IncludeEvidence { get; init; } = true;
    public int? Limit { get; init; }
    /// <summary>Only posts after this one in (created_at, id) order: the next page of a paged read.</summary>
    public PostPosition? After { get; init; }
    /// <summary>Only the post with this key.</summary>
    public (string Platform, string PostId)? Key { get; init; }
    /// <summary>Only these stored posts (the store's own resolution of a search page).</summary>
    internal IReadOnlyList<long>? Ids { get; init; }
}
