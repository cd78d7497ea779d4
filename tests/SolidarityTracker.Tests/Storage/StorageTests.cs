using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

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
    public async Task Storing_the_same_post_twice_keeps_one_row()
    {
        using var dir = new TestDirectory();
        var posts = new PostStore(new TrackerDatabase(dir.File("t.db")));

        var first = await posts.ImportAsync([Post("1", "hello")], Unlabelled(1), NoAgencies, T0);
        var second = await posts.ImportAsync([Post("1", "hello")], Unlabelled(1), NoAgencies, T0);

        Assert.Equal((1, 0), (first.Added, first.Updated));
        Assert.Equal((0, 0), (second.Added, second.Updated));
        Assert.Equal(1, posts.Count());
    }

    [Fact]
    public async Task An_edited_post_takes_the_new_text_and_keeps_the_previous_one()
    {
        using var dir = new TestDirectory();
        var database = new TrackerDatabase(dir.File("t.db"));
        var posts = new PostStore(database);

        await posts.ImportAsync([Post("1", "Our thougths are with Millbrook")], Unlabelled(1), NoAgencies, T0);
        var edit = await posts.ImportAsync([Post("1", "Our thoughts are with Millbrook")], Unlabelled(1), NoAgencies, T0.AddMinutes(5));

        Assert.Equal(1, edit.Updated);
        var stored = await posts.QueryAsync(new PostQuery()).SingleAsync();
        Assert.Equal("Our thoughts are with Millbrook", stored.Post.Text);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT text FROM post_versions;";
        Assert.Equal("Our thougths are with Millbrook", command.ExecuteScalar());
    }

    [Fact]
    public async Task Full_text_search_finds_posts_by_word_and_rejects_an_unbalanced_quote()
    {
        using var dir = new TestDirectory();
        var posts = new PostStore(new TrackerDatabase(dir.File("t.db")));
        await posts.ImportAsync([Post("1", "Praying for Baton Rouge"), Post("2", "Lock your cars")], Unlabelled(2), NoAgencies, T0);

        var found = await posts.QueryAsync(new PostQuery { FullText = "\"baton rouge\"" }).ToListAsync();
        var error = await Assert.ThrowsAsync<SolidarityTracker.BadInputException>(
            async () => await posts.QueryAsync(new PostQuery { FullText = "\"baton" }).ToListAsync());

        Assert.Equal("1", Assert.Single(found).Post.PostId);
        Assert.Contains("--query", error.Message);
    }

    [Theory]
    [InlineData("vigil")]   // more matches than PostStore.ManyMatches: read in time order
    [InlineData("hobart")]  // a few: sorted
    public async Task The_first_page_of_a_search_is_its_oldest_matches_however_many_match(string word)
    {
        using var dir = new TestDirectory();
        var posts = new PostStore(new TrackerDatabase(dir.File("t.db")));
        var random = new Random(8);
        var batch = Enumerable.Range(0, PostStore.ManyMatches + 2_000).Select(i =>
        {
            var text = i % 20 == 0 ? "Missing person found in Hobart" : i % 5 == 0 ? "Road closures downtown" : "Candlelight vigil tonight";
            // Stored out of time order, so id order and time order differ.
            return Post(i.ToString(), text) with { CreatedAt = T0.AddMinutes(random.Next(0, 100_000)) };
        }).ToList();
        await posts.ImportAsync(batch, Unlabelled(batch.Count), NoAgencies, T0);

        var page = await posts.QueryAsync(new PostQuery { FullText = word, Limit = 100 }).ToListAsync();
        var all = await posts.QueryAsync(new PostQuery { FullText = word }).ToListAsync();

        Assert.Equal(100, page.Count);
        Assert.Equal(all.Take(100).Select(p => p.Post.PostId), page.Select(p => p.Post.PostId));
        Assert.Equal(page.OrderBy(p => p.Post.CreatedAt).ThenBy(p => p.Id).Select(p => p.Id), page.Select(p => p.Id));
    }

    [Fact]
    public async Task Paging_a_search_that_matches_many_with_cursors_gives_every_match_once_in_time_order_with_other_filters_applied()
    {
        using var dir = new TestDirectory();
        var posts = new PostStore(new TrackerDatabase(dir.File("t.db")));
        var random = new Random(11);
        // Mostly in time order, as polling stores them, with a back-fill of old posts stored last (high ids, early times).
        var batch = Enumerable.Range(0, PostStore.ManyMatches + 3_000).Select(i =>
        {
            var text = i % 3 == 0 ? "Road closures downtown" : "Candlelight vigil tonight";
            var at = i < PostStore.ManyMatches ? T0.AddMinutes(i * 2 + random.Next(0, 30)) : T0.AddMinutes(random.Next(0, 20_000));
            return Post(i.ToString(), text) with { CreatedAt = at, Platform = i % 4 == 0 ? "mastodon" : "x" };
        }).ToList();
        await posts.ImportAsync(batch, Unlabelled(batch.Count), NoAgencies, T0);
        var everything = await posts.QueryAsync(new PostQuery { FullText = "vigil", Platform = "x" }).ToListAsync();

        var paged = new List<StoredPost>();
        PostPosition? after = null;
        while (true)
        {
            var page = await posts.ExportRowsAsync(new PostQuery { FullText = "vigil", Platform = "x", Limit = 500, After = after }).ToListAsync();
            paged.AddRange(page);
            if (page.Count < 500) break;
            after = PostPosition.Of(page[^1]);
        }

        Assert.True(everything.Count > PostStore.ManyMatches / 2, $"{everything.Count} matches");
        Assert.Equal(everything.Select(p => p.Id), paged.Select(p => p.Id));
        Assert.All(paged, p => Assert.Equal("x", p.Post.Platform));
    }

    [Fact]
    public async Task A_page_of_a_search_with_an_unbalanced_quote_is_one_line_error_too()
    {
        using var dir = new TestDirectory();
        var posts = new PostStore(new TrackerDatabase(dir.File("t.db")));
        await posts.ImportAsync([Post("1", "Praying for Baton Rouge")], Unlabelled(1), NoAgencies, T0);

        var error = await Assert.ThrowsAsync<SolidarityTracker.BadInputException>(
            async () => await posts.QueryAsync(new PostQuery { FullText = "\"baton", Limit = 100 }).ToListAsync());

        Assert.Contains("--query", error.Message);
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
