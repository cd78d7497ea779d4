namespace SolidarityTracker.Digests;

public sealed class DigestFailingAccount : DigestAccount
{
    public string? ErrorKind { get; init; }
    public string? Error { get; init; }
    public required int ConsecutiveFailures { get; init; }
    /// <summary>Local "yyyy-MM-dd HH:mm", or null.</summary>
    public string? LastErrorAt { get; init; }
    /// <summary>Local "yyyy-MM-dd HH:mm" of the last good poll: failing since just after it. Null when never polled successfully.</summary>
    public string? LastSuccessAt { get; init; }
}
