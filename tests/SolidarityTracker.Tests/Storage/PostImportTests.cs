using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

/// <summary>The bulk import session: one connection for every batch, with import settings that never outlive it.</summary>
public sealed class PostImportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 13, 12, 0, 0, TimeSpan.Zero);
    private readonly TestDirectory _dir = new();
    private readonly TrackerDatabase _database;
    private readonly PostStore _posts;

    public PostImportTests()
    {
        _database = new TrackerDatabase(_dir.File("t.db"));
        _posts = new PostStore(_database);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static Post Post(string id, string agency) => ScriptedSource.Post("h", id, T0, $"post {id}", Platforms.X) with { AgencyId = agency };

    private static ClassificationResult[] Unlabelled(int count) =>
        Enumerable.Range(0, count).Select(_ => ClassificationResult.None("test")).ToArray();

    private static readonly IReadOnlyDictionary<string, Agency> Named = new Dictionary<string, Agency> { ["brpd"] = new("brpd", "Baton Rouge Police Department", "LA") };

    private long Pragma(string name)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task After_an_import_the_pooled_connection_has_SQLites_default_cache_and_checkpoints_again()
    {
        var defaults = (Pragma("cache_size"), Pragma("wal_autocheckpoint"));

        using (var import = _posts.BeginImport())
        {
            await import.SaveAsync([Post("1", "brpd")], Unlabelled(1), Named, T0);
            await import.SaveAsync([Post("2", "brpd")], Unlabelled(1), Named, T0);
        }

        Assert.Equal((-2000L, 1000L), defaults);
        Assert.Equal(defaults, (Pragma("cache_size"), Pragma("wal_autocheckpoint")));
        Assert.Equal(2, StoredRows.Scalar(_database.Path, "SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task An_agency_named_only_by_a_batch_that_failed_is_created_by_the_next_batch()
    {
        using var import = _posts.BeginImport();

        // One label for two posts: the batch fails inside its transaction, after the agency row was written in it.
        await Assert.ThrowsAsync<ArgumentException>(() => import.SaveAsync([Post("1", "brpd"), Post("2", "brpd")], Unlabelled(1), Named, T0));
        await import.SaveAsync([Post("1", "brpd")], Unlabelled(1), Named, T0);

        Assert.Equal(1, StoredRows.Scalar(_database.Path, "SELECT COUNT(*) FROM agencies WHERE id = 'brpd' AND name = 'Baton Rouge Police Department'"));
        Assert.Equal(1, StoredRows.Scalar(_database.Path, "SELECT COUNT(*) FROM posts"));
    }

    [Fact]
    public async Task Posts_of_every_batch_are_found_by_full_text_search_and_keep_their_labels()
    {
        using (var import = _posts.BeginImport())
            for (var batch = 0; batch < 3; batch++)
                await import.SaveAsync(Enumerable.Range(0, 10).Select(i => Post($"{batch}-{i}", "brpd")).ToList(), Unlabelled(10), Named, T0);

        Assert.Equal(30, StoredRows.Scalar(_database.Path, "SELECT COUNT(*) FROM posts_fts WHERE posts_fts MATCH 'post'"));
        Assert.Equal(30, StoredRows.Scalar(_database.Path, "SELECT COUNT(*) FROM classifications c JOIN posts p ON p.id = c.post_id"));
    }

    [Fact]
    public void A_statement_run_beneath_Microsoft_Data_Sqlite_fails_with_SQLites_own_error()
    {
        using var connection = _database.Open();
        using var statement = new RawStatement((Microsoft.Data.Sqlite.SqliteConnection)connection, "INSERT INTO agencies (id, name) VALUES (?1, ?2);");
        statement.Bind(1, "brpd");
        statement.Bind(2, (string?)null);

        var error = Assert.Throws<SqliteException>(() => statement.Execute());

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT: name is NOT NULL
        Assert.Contains("agencies.name", error.Message);
        // The statement was reset: it runs again once the values are right.
        statement.Bind(2, "Baton Rouge Police Department");
        Assert.Equal(1, statement.Execute());
    }

    [Fact]
    public async Task A_text_with_a_broken_surrogate_pair_is_stored_with_the_replacement_character_and_nothing_after_it_lost()
    {
        using (var import = _posts.BeginImport())
            await import.SaveAsync([Post("1", "brpd") with { Text = "Praying \ud83d for you \ud83d\udc99 and \udc99" }], Unlabelled(1), Named, T0);

        var stored = await _posts.QueryAsync(new PostQuery()).SingleAsync();

        Assert.Equal("Praying \uFFFD for you \ud83d\udc99 and \uFFFD", stored.Post.Text);
    }
}
