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

/// <summary>Which accounts a cycle asks: the due ones (the worker), or every enabled one (a person running `poll`).</summary>
public enum PollScope
{
    Due,
    EveryEnabled,
}
