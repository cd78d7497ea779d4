namespace SolidarityTracker.Polling;

/// <summary>A stream that brings an account's posts as they are made (Bluesky's Jetstream), so its polls can wait.</summary>
public interface IStreamCoverage
{
    /// <summary>True while the stream is up and subscribed to the account (and the account was back-filled once by polling).</summary>
    bool Covers(AccountState account);
}
