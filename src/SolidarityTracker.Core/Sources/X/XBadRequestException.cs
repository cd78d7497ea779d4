using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SolidarityTracker.Sources.X;

/// <summary>X refused the request itself (HTTP 400), e.g. a pagination token it no longer knows.</summary>
internal sealed class XBadRequestException(string message) : Exception(message);
