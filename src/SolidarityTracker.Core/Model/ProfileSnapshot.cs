namespace SolidarityTracker.Model;

/// <summary>What an account looked like at one moment; a change is how a memorial badge shows.</summary>
public sealed record ProfileSnapshot(string? DisplayName, string? AvatarUrl, DateTimeOffset SeenAt);
