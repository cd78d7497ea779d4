using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SolidarityTracker.Sources.X;

/// <summary>X's usage cap (a 429 with title UsageCapExceeded): no request until <see cref="Until"/>.</summary>
internal sealed class XUsageCapException(string reason, string period, DateTimeOffset until) : Exception(reason)
{
    public string Reason { get; } = reason;
    public string Period { get; } = period;
    public DateTimeOffset Until { get; } = until;
}
