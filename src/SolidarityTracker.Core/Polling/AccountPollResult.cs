using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SolidarityTracker.Alerts;
using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Sources;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Polling;

public sealed record AccountPollResult(long AccountId, string AgencyId, string Platform, string Handle, int NewPosts, int UpdatedPosts, int Requests, string? ErrorKind, string? Error)
{
    public bool Failed => ErrorKind is not null;
    /// <summary>Posts the platform sent, new or already stored (what X bills for).</summary>
    public int PostsRead { get; init; }
    /// <summary>When the account was in back-off before this poll (asked all the same by `poll`): its next attempt then.</summary>
    public DateTimeOffset? BackedOffUntil { get; init; }
}
