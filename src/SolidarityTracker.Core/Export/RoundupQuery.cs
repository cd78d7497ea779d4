using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Text;

namespace SolidarityTracker.Export;

/// <summary>What a roundup asks: a period (UTC instants), an optional full-text query, label and state.</summary>
public sealed record RoundupQuery(DateTimeOffset FromUtc, DateTimeOffset ToUtc, DateOnly FromDate, DateOnly ToDate, string? FullText = null, string? Label = null, string? State = null);
