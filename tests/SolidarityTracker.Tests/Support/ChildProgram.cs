using System.Diagnostics;

namespace SolidarityTracker.Tests.Support;

/// <summary>The real program started as a child process (the apphost next to the tests), for kill and signal tests.</summary>
public sealed class ChildProgram : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();
    private readonly System.Text.StringBuilder _error = new();

    private ChildProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_output) { _output.AppendLine(e.Data); _error.AppendLine(e.Data); }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ChildProgram Start(params string[] args) => StartIn(null, args);

    /// <summary>As <see cref="Start"/>, with <paramref name="workingDirectory"/> as the current folder (null: the tests').</summary>
    public static ChildProgram StartIn(string? workingDirectory, params string[] args)
    {
        var program = ProgramPath();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(program);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new ChildProgram(Process.Start(info)!);
    }

    /// <summary>
    /// The program's own build output (src/SolidarityTracker/bin/…): the copy beside the tests lacks the assemblies
    /// that the test project takes from the ASP.NET Core shared framework.
    /// </summary>
    public static string ProgramPath()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;               // net10.0
        var configuration = testBin.Parent!.Name;   // Debug or Release
        return Path.Combine(RepositoryRoot.Path, "src", "SolidarityTracker", "bin", configuration, framework, "SolidarityTracker.dll");
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and standard error, interleaved as they came.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Standard error alone.</summary>
    public string Error
    {
        get { lock (_output) return _error.ToString(); }
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
