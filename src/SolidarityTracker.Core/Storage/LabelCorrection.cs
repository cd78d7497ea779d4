using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>One correction: the labels it set (empty is other), the ones it replaced, who made it and when.</summary>
public sealed record LabelCorrection(IReadOnlyList<string> Labels, IReadOnlyList<string> PreviousLabels, string By, DateTimeOffset At);
