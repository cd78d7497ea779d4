using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using SolidarityTracker.Model;
using SolidarityTracker.Sources;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Polling;

/// <summary>Two nodes (each its own services, store handle and poll cycle) sharing one PostgreSQL store of the throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkSharingTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 13, 14, 0, 0, TimeSpan.Zero);
    private static readonly string[] Ids = Enumerable.Range(0, 24).Select(i => $"pd{i:00}").ToArray();

    /// <summary>An RSS source that takes a while to answer and counts what each node asked for; every account has one post.</summary>
    private sealed class SlowFeeds(ConcurrentDictionary<string, int> fetches, string node) : ISource
    {
        public string Platform => Platforms.Rss;
        public ConcurrentBag<string> Polled { get; } = [];

        public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            fetches.AddOrUpdate(account.Handle, 1, (_, n) => n + 1);
            Polled.Add(account.Handle);
            await Task.Delay(60, cancellationToken);
            yield return ScriptedSource.Page("c1", ScriptedSource.Post(account.Handle, account.Handle + "#1", Now.AddMinutes(-10), $"Road closures downtown ({node})"));
        }
    }

    private async Task<string[]> SharedStoreAsync() =>
        [.. await postgres.Server.NewStoreAsync(), "--Polling:MaxConcurrency=4"];

    [Fact]
    public async Task Two_nodes_polling_one_store_at_once_poll_each_account_once_and_store_each_post_once()
    {
        var store = await SharedStoreAsync();
        var fetches = new ConcurrentDictionary<string, int>();
        SlowFeeds feedsA = new(fetches, "a"), feedsB = new(fetches, "b");
        using var nodeA = new AlertWorld(TrackerWorld.RssAgencies(Ids), new { }, Now, store: store, replaced: feedsA);
        using var nodeB = new AlertWorld(TrackerWorld.RssAgencies(Ids), new { }, Now, store: store, replaced: feedsB);

        var summaries = await Task.WhenAll(nodeA.Cycle.RunAsync(), nodeB.Cycle.RunAsync());

        Assert.All(Ids, id => Assert.Equal(1, fetches.GetValueOrDefault(TrackerWorld.Feed(id))));
        Assert.Equal(Ids.Length, summaries.Sum(s => s.Accounts.Count));
        Assert.Equal(Ids.Length, summaries.Sum(s => s.NewPosts));
        Assert.Equal(Ids.Length, nodeA.Get<PostStore>().Count());
        Assert.True(feedsA.Polled.Count > 0 && feedsB.Polled.Count > 0, $"node a polled {feedsA.Polled.Count}, node b {feedsB.Polled.Count}");
        Assert.All(nodeB.Get<AccountStore>().All(), a => Assert.NotNull(a.LastSuccessAt));
    }

    [Fact]
    public async Task A_node_that_dies_holding_leases_has_its_accounts_taken_over_once_the_leases_lapse_and_not_before()
    {
        var store = await SharedStoreAsync();
        var fetches = new ConcurrentDictionary<string, int>();
        using var survivor = new AlertWorld(TrackerWorld.RssAgencies(Ids), new { }, Now, store: store, replaced: new SlowFeeds(fetches, "b"));
        var accounts = survivor.Get<AccountStore>();
        // The dead node took every lease at Now and was killed before it recorded anything.
        foreach (var account in accounts.All())
            Assert.True(await accounts.TryLeaseAsync(account, "dead-node:1:0", Now, Now + TimeSpan.FromMinutes(5)));

        survivor.Clock.Advance(TimeSpan.FromMinutes(4));
        var whileHeld = await survivor.Cycle.RunAsync();
        survivor.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var afterLapse = await survivor.Cycle.RunAsync();

        Assert.Empty(whileHeld.Accounts);
        Assert.Equal(Ids.Length, afterLapse.Accounts.Count);
        Assert.All(Ids, id => Assert.Equal(1, fetches.GetValueOrDefault(TrackerWorld.Feed(id))));
        Assert.Equal(Ids.Length, survivor.Get<PostStore>().Count());
    }

    [Fact]
    public async Task An_account_another_node_polled_since_it_was_read_is_not_polled_again_in_that_interval()
    {
        var store = await SharedStoreAsync();
        var fetches = new ConcurrentDictionary<string, int>();
        using var node = new AlertWorld(TrackerWorld.RssAgencies("pd00"), new { }, Now, store: store, replaced: new SlowFeeds(fetches, "a"));
        var accounts = node.Get<AccountStore>();
        var read = Assert.Single(accounts.All());
        await accounts.RecordSuccessAsync(read.Id, Now.AddSeconds(5), profileChecked: true);

        Assert.False(await accounts.TryLeaseAsync(read, "node-a", Now.AddSeconds(6), Now.AddMinutes(5)));
        Assert.True(await accounts.TryLeaseAsync(Assert.Single(accounts.All()), "node-a", Now.AddSeconds(6), Now.AddMinutes(5)));
        Assert.False(await accounts.TryLeaseAsync(Assert.Single(accounts.All()), "node-b", Now.AddSeconds(7), Now.AddMinutes(5)));
    }
}
