using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Storage;

/// <summary>A page's newly stored posts (with their row ids and labels), and the transaction they are in.</summary>
public sealed record StoredPage(DbConnection Connection, DbTransaction Transaction, AccountState Account, IReadOnlyList<NewPost> Added, DateTimeOffset Now)
{
    /// <summary>How many alerts observers wrote for the page (ready to send once it commits).</summary>
    public int Alerts { get; set; }
}
