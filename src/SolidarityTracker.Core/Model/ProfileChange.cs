namespace SolidarityTracker.Model;

/// <summary>A stored profile change: what it was and what it became.</summary>
public sealed record ProfileChange(
    string AgencyId, string AgencyName, string Platform, string Handle,
    string? OldName, string? NewName, string? OldAvatarUrl, string? NewAvatarUrl, DateTimeOffset SeenAt);
