using System.Runtime.CompilerServices;
using SolidarityTracker.Model;

namespace SolidarityTracker.Sources.X;

/// <summary>Placeholder until the X client lands: every poll reports the platform as unavailable.</summary>
public sealed class XSource : ISource
{
    public string Platform => Platforms.X;

    public async IAsyncEnumerable<SourcePage> FetchAsync(AccountState account, SourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        throw new SourceException(SourceErrorKind.Unauthorized, "the X source is not available in this build");
#pragma warning disable CS0162
        yield break;
#pragma warning restore CS0162
    }
}
