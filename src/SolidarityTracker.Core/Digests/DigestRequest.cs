using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Rendering;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Digests;

public sealed record DigestRequest(DateOnly Date, IReadOnlyList<string>? Formats = null, string? OutputDirectory = null, bool Send = false);
