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
