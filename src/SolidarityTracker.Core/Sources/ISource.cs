namespace SolidarityTracker.Sources;

/// <summary>
/// One platform's way of asking "what is new for this account since this cursor".
/// A source yields pages; the poll cycle stores each page's posts and its cursor in one transaction,
/// so the cursor a page carries must be safe to resume from if the process dies right after it.
/// </summary>
public interface ISource
{
    string Platform { get; }

    IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, CancellationToken cancellationToken);
}
