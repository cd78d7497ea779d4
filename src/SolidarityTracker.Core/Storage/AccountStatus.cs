namespace SolidarityTracker.Storage;

public sealed record AccountStatus(AccountState Account, string AgencyName, long Posts);
