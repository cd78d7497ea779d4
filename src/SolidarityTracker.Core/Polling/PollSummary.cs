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

public sealed record PollSummary(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, IReadOnlyList<AccountPollResult> Accounts)
{
    public int NewPosts => Accounts.Sum(a => a.NewPosts);
    public int Failures => Accounts.Count(a => a.Failed);
    public int Requests => Accounts.Sum(a => a.Requests);
    public IReadOnlyList<AccountWait> Waiting { get; init; } = [];
    /// <summary>For a scheduled tick: how long the scheduler took to choose, how many due accounts a budget held back, how many a live stream covered.</summary>
    public TimeSpan PlanningTime { get; init; }
    public int Held { get; init; }
    public int Streamed { get; init; }
}
