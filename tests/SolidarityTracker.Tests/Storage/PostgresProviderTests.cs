using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

/// <summary>
/// Every command that reads the store, run on the bundled sample wave twice: once on the demo's SQLite file, once on
/// a PostgreSQL database of the throwaway cluster that imported the same file. Outputs must match byte for byte.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresProviderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Every_command_that_reads_the_store_gives_byte_for_byte_the_same_output_on_postgres_as_on_sqlite()
    {
        using var dir = new TestDirectory();
        var demo = await CliRunner.RunAsync("demo", "--out", dir.Path);
        Assert.True(demo.ExitCode == 0, demo.ToString());
        var config = Path.Combine(dir.Path, "demo.config.json");
        var pg = await postgres.Server.NewStoreAsync();

        var import = await CliRunner.RunAsync(["import", "--config", config, RepositoryRoot.File("samples", "wave.jsonl"), .. pg]);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("253 added", import.Output + import.Error);

        string[][] commands =
        [
            ["export", "--format", "csv"],
            ["export", "--format", "json"],
            ["export", "--format", "jsonl", "--query", "\"line of duty\""],
            ["export", "--format", "csv", "--query", "reyes NOT funeral", "--state", "oh", "--label", "condolence"],
            ["export", "--format", "csv", "--query", "mill*"],
            ["export", "--format", "csv", "--agency", "MILLBROOK-PD", "--from", "2026-05-13", "--to", "2026-05-14"],
            ["status"],
            ["status", "--format", "json"],
            ["roundup", "--from", "2026-05-12", "--to", "2026-05-14", "--query", "Millbrook", "--format", "md"],
            ["roundup", "--from", "2026-05-12", "--to", "2026-05-14", "--format", "csv"],
            ["timeline", "--by", "hour", "--query", "vigil OR candlelight"],
            ["timeline", "--by", "day", "--format", "svg"],
            ["incidents"],
            ["alerts"],
            ["export", "--format", "csv", "--query", "\"unbalanced"],
        ];
        foreach (var command in commands)
        {
            var onSqlite = await CliRunner.RunAsync([.. command, "--config", config]);
            var onPostgres = await CliRunner.RunAsync([.. command, "--config", config, .. pg]);
            var what = string.Join(' ', command);
            Assert.True(onSqlite.ExitCode == onPostgres.ExitCode, $"{what}: sqlite {onSqlite}\npostgres {onPostgres}");
            // `status --format json` says when it was made: the two runs may fall in different seconds.
            static string Stable(string output) => System.Text.RegularExpressions.Regex.Replace(output, "\"generated_at\": \"[^\"]*\"", "\"generated_at\": …");
            Assert.True(Stable(onSqlite.Output) == Stable(onPostgres.Output), $"{what}: outputs differ\nsqlite {onSqlite}\npostgres {onPostgres}");
            Assert.Equal(onSqlite.Error, onPostgres.Error);
        }

        foreach (var (name, args) in new[] { ("sqlite", Array.Empty<string>()), ("postgres", pg) })
        {
            var digest = await CliRunner.RunAsync(["digest", "--date", "2026-05-13", "--out", Path.Combine(dir.Path, name), "--mkdir", "--config", config, .. args]);
            Assert.True(digest.ExitCode == 0, digest.ToString());
        }
        foreach (var format in new[] { "html", "md", "txt" })
            Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "sqlite", $"digest-2026-05-13.{format}")), File.ReadAllText(Path.Combine(dir.Path, "postgres", $"digest-2026-05-13.{format}")));
    }
}
