using System.Runtime.CompilerServices;
using SolidarityTracker.Model;

namespace SolidarityTracker.Sources.Rss;

/// <summary>Placeholder until the Rss client lands: every poll reports the platform as unavailable.</summary>
public sealed class RssSource : ISource
{
    public string Platform => Platforms.Rss;

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        throw new SourceException(SourceErrorKind.Unauthorized, "the Rss source is not available in this build");
#pragma warning disable CS0162
        yield break;
#pragma warning restore CS0162
    }
}
