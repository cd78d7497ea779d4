namespace SolidarityTracker.Polling;

/// <summary>An account left alone because its platform's rate limit resets only at <see cref="Until"/>.</summary>
public sealed record AccountWait(AccountState Account, DateTimeOffset Until);
