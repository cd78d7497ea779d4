using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Bench;

/// <summary>
/// A benchmark's temp folder, st-bench-NAME-xxxxxxxx, removed with all it holds when the run ends. SQLite's pooled
/// connections are closed first so their files can go; a file something still holds stays behind rather than failing
/// a run that has printed its figures.
/// </summary>
public sealed class BenchFolder : IDisposable
{
    private BenchFolder(string path) => Path = path;

    public string Path { get; }

    public static BenchFolder Create(string name)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"st-bench-{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return new BenchFolder(path);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
