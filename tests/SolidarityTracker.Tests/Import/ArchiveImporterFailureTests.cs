using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SolidarityTracker.Classification;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Import;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Import;

/// <summary>An import that fails part way through, with a real SQLite file held busy by another connection.</summary>
public sealed class ArchiveImporterFailureTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    /// <summary>Labels nothing, and fails on the first post of the given number.</summary>
    private sealed class FailingClassifier(int failAt) : IPostClassifier
    {
        private int _calls;
        public string Version => "failing";

        public ClassificationResult Classify(string text) =>
            Interlocked.Increment(ref _calls) == failAt ? throw new InvalidOperationException("classifier broke") : ClassificationResult.None(Version);
    }

    [Fact]
    public async Task A_failure_while_a_batch_is_being_stored_returns_only_after_that_batch_is_committed()
    {
        var path = _dir.File("tracker.db");
        var file = _dir.Write("posts.jsonl", string.Join('\n', Enumerable.Range(0, ArchiveImporter.BatchSize * 2).Select(i =>
            $$"""{"platform":"x","post_id":"{{i}}","account":"DallasPD","created_at":"2016-07-17T14:05:00Z","text":"Post {{i}}"}""")));
        var store = new PostStore(new TrackerDatabase(path));
        store.Count(); // the schema, before the lock below
        var settings = new TrackerSettings(new TrackerOptions { Database = path }, new SourcesOptions(), new PollingOptions(), new DigestOptions(), TimeZoneInfo.Utc);
        // The second batch's first post breaks the classifier while the first batch waits for another writer's lock.
        var importer = new ArchiveImporter(store, new FailingClassifier(ArchiveImporter.BatchSize + 1), settings, TimeProvider.System);
        var held = TimeSpan.FromMilliseconds(700);
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using (var command = other.CreateCommand())
        {
            command.CommandText = "BEGIN IMMEDIATE;";
            command.ExecuteNonQuery();
        }
        var clock = Stopwatch.StartNew();
        _ = Task.Delay(held).ContinueWith(_ => { using var c = other.CreateCommand(); c.CommandText = "COMMIT;"; c.ExecuteNonQuery(); }, TaskScheduler.Default);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => importer.ImportAsync(file, "jsonl", "dallas"));

        Assert.Equal("classifier broke", error.Message);
        Assert.True(clock.Elapsed >= held - TimeSpan.FromMilliseconds(50), $"returned after {clock.ElapsedMilliseconds} ms, with the first batch still waiting to be stored");
        Assert.Equal(ArchiveImporter.BatchSize, StoredRows.Scalar(path, "SELECT COUNT(*) FROM posts"));
        Assert.Equal(ArchiveImporter.BatchSize, StoredRows.Scalar(path, "SELECT COUNT(*) FROM classifications"));
    }
}
