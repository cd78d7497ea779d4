using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

public sealed record CorrectedPost(string Platform, string PostId, string Text, IReadOnlyList<string> Labels, string By, DateTimeOffset At)
{
    /// <summary>The id `corrections` prints: platform:post_id, unique across platforms.</summary>
    public string Id => $"{Platform}:{PostId}";
}
