namespace SolidarityTracker.Sources.X;

// The X API v2 response shapes this source reads (https://docs.x.com/x-api), one file each beside this one. Ids are
// strings: they exceed 2^53.

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(XUserResponse))]
[JsonSerializable(typeof(XUsersResponse))]
[JsonSerializable(typeof(XTimelineResponse))]
[JsonSerializable(typeof(XTweet))]
[JsonSerializable(typeof(XUser))]
[JsonSerializable(typeof(XIncludes))]
[JsonSerializable(typeof(XProblem))]
[JsonSerializable(typeof(XCursor))]
internal sealed partial class XJsonContext : JsonSerializerContext;
