namespace SolidarityTracker.Digests;

public sealed class DigestProfileChange : DigestAccount
{
    public required string Time { get; init; }
    public required bool NameChanged { get; init; }
    public required bool AvatarChanged { get; init; }
    public string? OldName { get; init; }
    public string? NewName { get; init; }
    /// <summary>The avatar URLs only when http/https (null otherwise): safe for img src.</summary>
    public string? OldAvatar { get; init; }
    public string? NewAvatar { get; init; }
    /// <summary>As stored, any scheme (untrusted).</summary>
    public string? OldAvatarUrl { get; init; }
    public string? NewAvatarUrl { get; init; }
}
