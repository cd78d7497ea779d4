using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SolidarityTracker.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> into a temp folder, started on a free loopback port with
/// its socket in that folder, and removed when disposed. As root it runs as the <c>postgres</c> user (the server refuses
/// root). Nothing here skips: a machine without Debian's <c>postgresql</c> package fails the test that needs it, with a
/// message that says what to install (.ci/run installs it).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;

    public int Port { get; }

    /// <summary>The superuser's password: over TCP the cluster asks for it (scram-sha-256), so a wrong one is refused as on a real server.</summary>
    public const string Password = "throwaway-superuser-pw";

    /// <summary>The superuser connection string to the <c>postgres</c> database; tests create their own databases.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database=postgres;Pooling=false";

    private PostgresServer(string folder, string bin, bool asPostgresUser, int port)
    {
        _folder = folder;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does)");
        var folder = Path.Combine(Path.GetTempPath(), "st-pg", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser)
        {
            // The folder and its parent must be reachable by the postgres user.
            await RunAsync("chmod", ["755", Path.GetDirectoryName(folder)!]);
            await RunAsync("chown", ["postgres:postgres", folder]);
        }
        var server = new PostgresServer(folder, bin, asPostgresUser, LoopbackPorts.Free());
        var data = Path.Combine(folder, "data");
        var passwordFile = Path.Combine(folder, "pw");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (asPostgresUser) await RunAsync("chown", ["postgres:postgres", passwordFile]);
        await server.PgAsync("initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        var settings = $"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await server.PgAsync("pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
        return server;
    }

    /// <summary>The switches that put a command's store on <paramref name="connectionString"/> (Tracker:Provider postgres).</summary>
    public static string[] Switches(string connectionString) => ["--Tracker:Provider=postgres", $"--Tracker:ConnectionString={connectionString}"];

    /// <summary><see cref="Switches"/> for a fresh, empty database on this cluster.</summary>
    public async Task<string[]> NewStoreAsync() => Switches(await CreateDatabaseAsync());

    /// <summary>A fresh, empty database on this cluster; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={name}";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await PgAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]); }
        catch (InvalidOperationException) { /* already down; the folder goes all the same */ }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string? FindBin()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed (exit {process.ExitCode}): {await error}{await output}");
    }
}
