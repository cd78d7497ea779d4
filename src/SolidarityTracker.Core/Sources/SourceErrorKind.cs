namespace SolidarityTracker.Sources;

public enum SourceErrorKind
{
    NotFound,
    Unauthorized,
    RateLimited,
    Transient,
    Malformed,
}
