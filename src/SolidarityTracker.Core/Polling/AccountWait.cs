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

/// <summary>An account left alone because its platform's rate limit resets only at <see cref="Until"/>.</summary>
public sealed record AccountWait(AccountState Account, DateTimeOffset Until);
