namespace SolidarityTracker.Tests.Support;

/// <summary>The repository the tests were built from (the folder holding SolidarityTracker.sln), for tests of its committed files.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "SolidarityTracker.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find SolidarityTracker.sln above " + AppContext.BaseDirectory);
    }
}
