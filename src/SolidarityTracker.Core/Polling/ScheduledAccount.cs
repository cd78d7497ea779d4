namespace SolidarityTracker.Polling;

public sealed record ScheduledAccount(AccountState Account, RequestLimit? Limit, int ReservedRequests);
