using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

/// <summary>The SQLite file's own behaviour: WAL, FTS5's index, files that are not databases.</summary>
public sealed class StorageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 13, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, Agency> NoAgencies = new Dictionary<string, Agency>();

    private static Post Post(string id, string text) => ScriptedSource.Post("h", id, T0, text, Platforms.X) with { AgencyId = "a" };

    private static ClassificationResult[] Unlabelled(int count) =>
        Enumerable.Range(0, count).Select(_ => ClassificationResult.None("test")).ToArray();

    [Fact]
    public void A_new_database_gets_every_migration_in_WAL_mode()
    {
        using var dir = new TestDirectory();
        var database = new TrackerDatabase(dir.File("t.db"));

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", command.ExecuteScalar());
        Assert.Equal(Migrations.Latest, Migrations.CurrentVersion((Microsoft.Data.Sqlite.SqliteConnection)connection));
    }





    [Fact]
    public async Task A_file_that_is_not_SQLite_is_reported_in_one_line_and_left_untouched()
    {
        using var dir = new TestDirectory();
        var file = dir.Write("notes.db", "these are my notes, not a database\n");
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync("status", "--config", config, $"--Tracker:Database={file}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a SQLite database", result.Error);
        Assert.Contains("notes.db", result.Error);
        Assert.Equal("these are my notes, not a database\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task A_database_in_a_folder_that_cannot_be_created_is_reported_as_bad_input()
    {
        using var dir = new TestDirectory();
        var blocker = dir.Write("blocker", "a file where a folder should be");
        var config = Config.Write(dir);

        var result = await CliRunner.RunAsync("status", "--config", config, $"--Tracker:Database={Path.Combine(blocker, "t.db")}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task New_posts_are_searchable_and_an_edit_in_the_same_batch_keeps_the_full_text_index_consistent()
    {
        using var dir = new TestDirectory();
        var database = new TrackerDatabase(dir.File("t.db"));
        var posts = new PostStore(database);

        await posts.ImportAsync(
            [Post("1", "Praying for Baton Rouge"), Post("2", "Lock your cars"), Post("2", "Lock your cars and take your valuables inside"), Post("3", "Mourning band tonight")],
            Unlabelled(4), NoAgencies, T0);
        await posts.ImportAsync([Post("4", "Procession route for Officer Reyes"), Post("1", "Praying for Baton Rouge and Dallas")], Unlabelled(2), NoAgencies, T0);

        using var connection = database.Open();
        using (var check = connection.CreateCommand())
        {
            // FTS5 compares its index with the posts table and raises an error on any difference.
            check.CommandText = "INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1);";
            check.ExecuteNonQuery();
        }
        async Task<string[]> Find(string query) => (await posts.QueryAsync(new PostQuery { FullText = query }).ToListAsync()).Select(p => p.Post.PostId).ToArray();
        Assert.Equal(["2"], await Find("valuables"));
        Assert.Equal(["1"], await Find("dallas"));
        Assert.Equal(["3"], await Find("mourning"));
        Assert.Equal(["4"], await Find("procession"));
    }
}
