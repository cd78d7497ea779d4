using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Rendering;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Digests;

public sealed record DigestOutcome(DateOnly Date, IReadOnlyList<string> Files, int Posts, IReadOnlyDictionary<string, int> LabelCounts, bool Sent)
{
    /// <summary>Set when Send was asked but an earlier run already mailed this day: when, and to whom.</summary>
    public DateTimeOffset? AlreadySentAt { get; init; }
    public string? AlreadySentTo { get; init; }
}
