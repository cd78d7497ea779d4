using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

/// <summary>A text an edit replaced, and when the edit was seen.</summary>
public sealed record PostVersion(string Text, DateTimeOffset ReplacedAt);
