using Npgsql;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Storage.Postgres;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

/// <summary>
/// What every store must do, whichever engine holds it: one set of tests, run on a SQLite file in a temp folder
/// (<see cref="SqliteStoreTests"/>) and on a database of the throwaway PostgreSQL cluster (<see cref="PostgresStoreTests"/>).
/// </summary>
public abstract class StoreContractTests
{
    protected static readonly DateTimeOffset T0 = new(2026, 5, 13, 12, 0, 0, TimeSpan.Zero);
    protected static readonly IReadOnlyDictionary<string, Agency> NoAgencies = new Dictionary<string, Agency>();

    /// <summary>A new, empty store.</summary>
    protected abstract TrackerDatabase NewDatabase();

    protected static Post Post(string id, string text) => ScriptedSource.Post("h", id, T0, text, Platforms.X) with { AgencyId = "a" };

    protected static ClassificationResult[] Unlabelled(int count) =>
        Enumerable.Range(0, count).Select(_ => ClassificationResult.None("test")).ToArray();

    private static ClassificationResult Labelled(params string[] labels) =>
        new(labels, new Dictionary<string, double> { [Labels.Condolence] = 0.9, [Labels.Memorial] = 0.2, [Labels.SafetyReminder] = 0.1 }, [], "test");

    [Fact]
    public async Task Storing_the_same_post_twice_keeps_one_row()
    {
                var posts = new PostStore(NewDatabase());

        var first = await posts.ImportAsync([Post("1", "hello")], Unlabelled(1), NoAgencies, T0);
        var second = await posts.ImportAsync([Post("1", "hello")], Unlabelled(1), NoAgencies, T0);

        Assert.Equal((1, 0), (first.Added, first.Updated));
        Assert.Equal((0, 0), (second.Added, second.Updated));
        Assert.Equal(1, posts.Count());
    }

    [Fact]
    public async Task An_edited_post_takes_the_new_text_and_keeps_the_previous_one()
    {
                var database = NewDatabase();
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
                var posts = new PostStore(NewDatabase());
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
                var posts = new PostStore(NewDatabase());
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
                var posts = new PostStore(NewDatabase());
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
                var posts = new PostStore(NewDatabase());
        await posts.ImportAsync([Post("1", "Praying for Baton Rouge")], Unlabelled(1), NoAgencies, T0);

        var error = await Assert.ThrowsAsync<SolidarityTracker.BadInputException>(
            async () => await posts.QueryAsync(new PostQuery { FullText = "\"baton", Limit = 100 }).ToListAsync());

        Assert.Contains("--query", error.Message);
    }

    [Fact]
    public async Task Search_ignores_case_and_accents_matches_prefixes_and_keeps_AND_OR_NOT()
    {
        var posts = new PostStore(NewDatabase());
        await posts.ImportAsync(
        [
            Post("1", "Descanse en paz, oficial. La Policía de Millbrook está de luto."),
            Post("2", "Candlelight VIGIL tonight at city hall"),
            Post("3", "Vigil postponed; road closures downtown (see https://www.millbrookoh.gov/closures)"),
            Post("4", "Thoughts with the Millbrook family"),
        ], Unlabelled(4), NoAgencies, T0);
        async Task<string> Find(string query) =>
            string.Join(",", (await posts.QueryAsync(new PostQuery { FullText = query }).ToListAsync()).Select(p => p.Post.PostId).Order());

        Assert.Equal("1", await Find("policia"));
        Assert.Equal("1", await Find("\"de luto\""));
        Assert.Equal("2,3", await Find("vigil"));
        Assert.Equal("2", await Find("vigil NOT closures"));
        Assert.Equal("1,2,3,4", await Find("vigil OR millbrook*"));
        Assert.Equal("3", await Find("vigil closures"));
        Assert.Equal("3", await Find("millbrookoh"));
        Assert.Equal("2,4", await Find("(candlelight OR thoughts) NOT paz"));
        Assert.Equal("", await Find("\"vigil tonight city\""));
    }

    [Fact]
    public async Task Filters_by_label_agency_and_state_ignore_case_and_page_with_keyset_cursors()
    {
        var database = NewDatabase();
        var posts = new PostStore(database);
        var agencies = new Dictionary<string, Agency> { ["brpd"] = new("brpd", "Baton Rouge PD", "LA"), ["mpd"] = new("mpd", "Millbrook PD", "OH") };
        var batch = Enumerable.Range(0, 30).Select(i => Post(i.ToString(), $"post {i}") with { AgencyId = i % 2 == 0 ? "brpd" : "mpd", CreatedAt = T0.AddMinutes(i % 7) }).ToList();
        var labels = Enumerable.Range(0, 30).Select(i => i % 3 == 0 ? Labelled(Labels.Condolence, Labels.Memorial) : i % 3 == 1 ? Labelled(Labels.Memorial) : ClassificationResult.None("test")).ToList();
        await posts.ImportAsync(batch, labels, agencies, T0);

        var memorial = await posts.QueryAsync(new PostQuery { Label = Labels.Memorial }).ToListAsync();
        var condolenceInLa = await posts.QueryAsync(new PostQuery { Label = Labels.Condolence, State = "la" }).ToListAsync();
        var byAgency = await posts.ExportRowsAsync(new PostQuery { AgencyId = "MPD" }).ToListAsync();
        var other = await posts.QueryAsync(new PostQuery { Label = Labels.Other }).ToListAsync();
        var paged = new List<StoredPost>();
        PostPosition? after = null;
        while (true)
        {
            var page = await posts.ExportRowsAsync(new PostQuery { Limit = 4, After = after }).ToListAsync();
            paged.AddRange(page);
            if (page.Count < 4) break;
            after = PostPosition.Of(page[^1]);
        }

        Assert.Equal(20, memorial.Count);
        Assert.Equal(5, condolenceInLa.Count);
        Assert.All(condolenceInLa, p => Assert.Equal(("brpd", "Baton Rouge PD", "LA"), (p.Post.AgencyId, p.AgencyName, p.AgencyState)));
        Assert.Equal(15, byAgency.Count);
        Assert.All(byAgency, p => Assert.Equal("Millbrook PD", p.AgencyName));
        Assert.Equal(10, other.Count);
        Assert.Equal((await posts.QueryAsync(new PostQuery()).ToListAsync()).Select(p => p.Id), paged.Select(p => p.Id));
        Assert.Equal(0.9, memorial[0].Classification.Scores[Labels.Condolence]);
    }

    [Fact]
    public async Task A_large_batch_stores_new_posts_with_labels_and_takes_the_edits_among_posts_stored_before()
    {
        var database = NewDatabase();
        var posts = new PostStore(database);
        var first = Enumerable.Range(0, 40).Select(i => Post(i.ToString(), $"Candlelight vigil {i}")).ToList();
        await posts.ImportAsync(first, first.Select(_ => Labelled(Labels.Memorial)).ToList(), NoAgencies, T0);
        var again = first.Select((p, i) => i % 10 == 3 ? p with { Text = $"Candlelight vigil {i}, moved indoors" } : p)
            .Concat(Enumerable.Range(40, 20).Select(i => Post(i.ToString(), $"Road closures {i}"))).ToList();

        var result = await posts.ImportAsync(again, again.Select(p => p.Text.StartsWith("Road") ? Labelled(Labels.SafetyReminder) : Labelled(Labels.Condolence)).ToList(), NoAgencies, T0.AddHours(1));

        Assert.Equal((20, 4), (result.Added, result.Updated));
        var stored = await posts.QueryAsync(new PostQuery()).ToListAsync();
        Assert.Equal(60, stored.Count);
        Assert.Equal(again.OrderBy(p => p.PostId, StringComparer.Ordinal).Select(p => p.Text), stored.OrderBy(p => p.Post.PostId, StringComparer.Ordinal).Select(p => p.Post.Text));
        Assert.Equal(4, stored.Count(p => p.Classification.Labels.SequenceEqual([Labels.Condolence])));
        Assert.Equal(20, stored.Count(p => p.Classification.Labels.SequenceEqual([Labels.SafetyReminder])));
        Assert.Equal(36, stored.Count(p => p.Classification.Labels.SequenceEqual([Labels.Memorial])));
        var details = await posts.FindAsync(Platforms.X, "13");
        Assert.Equal("Candlelight vigil 13", Assert.Single(details!.Versions).Text);
        Assert.Equal(["13", "23", "3", "33"], (await posts.QueryAsync(new PostQuery { FullText = "indoors" }).ToListAsync()).Select(p => p.Post.PostId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_post_whose_text_holds_a_NUL_is_stored_alone_or_in_a_batch_and_found_by_its_words()
    {
        var posts = new PostStore(NewDatabase());
        var batch = Enumerable.Range(0, 20).Select(i => Post($"b{i}", $"Road closures {i}")).Append(Post("b-nul", "Candlelight vigil\0 tonight")).ToList();

        await posts.ImportAsync([Post("nul", "Mourning band\0 in honor of Officer Reyes")], Unlabelled(1), NoAgencies, T0);
        await posts.ImportAsync(batch, Unlabelled(batch.Count), NoAgencies, T0);
        await posts.ImportAsync([Post("nul", "Mourning band\0 in honor of Officer Reyes, edited")], Unlabelled(1), NoAgencies, T0.AddMinutes(1));

        Assert.Equal(22, posts.Count());
        var found = (await posts.QueryAsync(new PostQuery { FullText = "reyes OR vigil" }).ToListAsync()).ToDictionary(p => p.Post.PostId, p => p.Post.Text);
        Assert.Equal(["b-nul", "nul"], found.Keys.Order(StringComparer.Ordinal));
        Assert.EndsWith(" in honor of Officer Reyes, edited", found["nul"]);
        Assert.EndsWith(" tonight", found["b-nul"]);
    }

    [Fact]
    public async Task Accounts_sync_from_the_configuration_and_a_poll_result_is_kept_on_the_account()
    {
        var database = NewDatabase();
        var accounts = new AccountStore(database);
        var posts = new PostStore(database);
        var agency = new SolidarityTracker.Configuration.AgencyOptions
        {
            Id = "brpd", Name = "Baton Rouge PD", State = "LA",
            Accounts = [new SolidarityTracker.Configuration.AccountOptions { Platform = Platforms.X, Handle = "@BatonRougePD" }],
        };
        await accounts.SyncAsync([agency]);
        var account = Assert.Single(accounts.All());

        var page = new SourcePage([Post("9", "Praying for Baton Rouge") with { AgencyId = "brpd", Account = "BatonRougePD" }], Cursor: "9", Requests: 1);
        var saved = await posts.SavePageAsync(account, page, Unlabelled(1), T0);
        await accounts.RecordSuccessAsync(account.Id, T0, profileChecked: true);
        await accounts.RecordFailureAsync(account.Id, "transient", "HTTP 503", T0.AddMinutes(5), T0.AddMinutes(10));
        var again = Assert.Single(accounts.All());

        Assert.Equal(1, saved.Added);
        Assert.Equal("9", again.Cursor);
        Assert.Equal(account.Handle, again.Handle);
        Assert.Equal(T0, again.LastSuccessAt);
        Assert.Equal(("transient", 1), (again.LastErrorKind, again.ConsecutiveFailures));
        Assert.Equal(1, posts.Count());
    }
}

/// <summary><see cref="StoreContractTests"/> on a SQLite file.</summary>
public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TestDirectory _dir = new();

    protected override TrackerDatabase NewDatabase() => new(_dir.File($"{Guid.NewGuid():N}.db"));

    public void Dispose() => _dir.Dispose();
}

/// <summary><see cref="StoreContractTests"/> on PostgreSQL: each test gets a new database of the throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture postgres) : StoreContractTests
{
    protected override TrackerDatabase NewDatabase() =>
        TrackerDatabase.OnPostgres(new PostgresDatabase(postgres.Server.CreateDatabaseAsync().GetAwaiter().GetResult()));
}
