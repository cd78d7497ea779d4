namespace SolidarityTracker.Polling;

/// <summary>What the scheduler asks of the store: the accounts it may poll now, and the agencies (for a wave's peers). AccountStore answers it.</summary>
public interface IScheduleSource
{
    /// <summary>Configured, enabled accounts past their back-off whose next check has come, or (wave) not attempted since <paramref name="waveBefore"/>.</summary>
    IReadOnlyList<AccountState> Scheduled(DateTimeOffset now, DateTimeOffset? waveBefore = null);

    IReadOnlyList<Agency> Agencies(bool configuredOnly = true);
}
