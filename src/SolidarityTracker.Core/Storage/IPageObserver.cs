using Microsoft.Data.Sqlite;
using SolidarityTracker.Model;

namespace SolidarityTracker.Storage;

/// <summary>
/// Told of every polled page's new posts inside the page's own transaction, before it commits: what it writes
/// (the alerts those posts raise) commits or rolls back with them.
/// </summary>
public interface IPageObserver
{
    void Stored(StoredPage page);

    /// <summary>After the commit: what <see cref="Stored"/> wrote is visible to other connections now.</summary>
    void Committed(StoredPage page);
}

/// <summary>A page's newly stored posts (with their row ids and labels), and the transaction they are in.</summary>
public sealed record StoredPage(SqliteConnection Connection, SqliteTransaction Transaction, AccountState Account, IReadOnlyList<NewPost> Added, DateTimeOffset Now)
{
    /// <summary>How many alerts observers wrote for the page (ready to send once it commits).</summary>
    public int Alerts { get; set; }
}

public sealed record NewPost(long Id, Post Post, ClassificationResult Classification);
