using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Export;

/// <summary>`--out` of every command that writes files: a missing folder, a file in the way, a folder named as a file.</summary>
public sealed class OutputPathTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly string _config;

    public OutputPathTests() => _config = Config.Write(_dir);

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--config", _config]);

    public static TheoryData<string[]> FileCommands => new()
    {
        new[] { "export" },
        new[] { "roundup", "--from", "2026-05-12", "--to", "2026-05-14", "--format", "md" },
        new[] { "timeline" },
    };

    [Theory]
    [MemberData(nameof(FileCommands))]
    public async Task Out_in_a_missing_folder_is_refused_naming_the_folder_and_nothing_is_created(string[] command)
    {
        var missing = _dir.File("no-such-dir");
        var target = Path.Combine(missing, "x.csv");

        var result = await RunAsync([.. command, "--out", target]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --out {target}: the folder {missing} does not exist (create it first, or add --mkdir)", result.Error.Trim());
        Assert.False(Directory.Exists(missing));
        // Refused before the database was opened.
        Assert.False(File.Exists(_dir.File("tracker.db")));
    }

    [Theory]
    [MemberData(nameof(FileCommands))]
    public async Task Out_with_mkdir_makes_the_missing_folders(string[] command)
    {
        var target = Path.Combine(_dir.File("made"), "deeper", "x.out");

        var result = await RunAsync([.. command, "--out", target, "--mkdir"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(target));
    }

    [Theory]
    [MemberData(nameof(FileCommands))]
    public async Task Out_under_a_regular_file_is_refused_naming_the_file_in_the_way(string[] command)
    {
        var file = _dir.Write("notes.txt", "not a folder");
        var target = Path.Combine(file, "x.csv");

        var result = await RunAsync([.. command, "--out", target, "--mkdir"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --out {target}: {file} is a file, not a folder", result.Error.Trim());
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public async Task Out_naming_a_folder_is_refused()
    {
        var result = await RunAsync("export", "--out", _dir.Path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: --out {_dir.Path}: {_dir.Path} is a folder; name a file inside it", result.Error.Trim());
    }

    [Fact]
    public async Task Digest_out_must_be_an_existing_folder_unless_mkdir()
    {
        var missing = _dir.File("no-such-dir");
        var file = _dir.Write("notes.txt", "not a folder");

        var refused = await RunAsync("digest", "--date", "2026-05-13", "--out", missing);
        var underFile = await RunAsync("digest", "--date", "2026-05-13", "--out", Path.Combine(file, "digests"), "--mkdir");
        var made = await RunAsync("digest", "--date", "2026-05-13", "--out", missing, "--mkdir");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Equal($"error: --out {missing}: the folder {missing} does not exist (create it first, or add --mkdir)", refused.Error.Trim());
        Assert.True(underFile.ExitCode == 2, underFile.ToString());
        Assert.Contains($"{file} is a file, not a folder", underFile.Error);
        Assert.True(made.ExitCode == 0, made.ToString());
        Assert.True(File.Exists(Path.Combine(missing, "digest-2026-05-13.html")));
    }

    [Fact]
    public async Task A_configured_output_folder_under_a_regular_file_fails_naming_the_path()
    {
        var file = _dir.Write("notes.txt", "not a folder");
        var folder = Path.Combine(file, "digests");

        var result = await RunAsync("digest", "--date", "2026-05-13", "--format", "txt", $"--Digest:OutputDirectory={folder}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.EndsWith($"\nerror: cannot write {Path.Combine(folder, "digest-2026-05-13.txt")}: {file} is a file, not a folder", result.Error.Trim());
    }

    [Fact]
    public async Task A_database_under_a_regular_file_is_refused_naming_the_key_and_the_file()
    {
        var file = _dir.Write("notes.txt", "not a folder");
        var database = Path.Combine(file, "tracker.db");

        var result = await RunAsync("status", $"--Tracker:Database={database}");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: Tracker:Database {database}: {file} is a file, not a folder", result.Error.Trim());
    }
}
