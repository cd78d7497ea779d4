namespace SolidarityTracker.Digests;

public sealed class DigestAgencyPosts
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? State { get; init; }
    /// <summary>The agency's posts of this label that day, exact.</summary>
    public required int PostCount { get; init; }
    /// <summary>The first of them, oldest first, as many as the section's cap left for this agency.</summary>
    public required IReadOnlyList<DigestPost> Posts { get; init; }
    /// <summary>The agency's posts left out (PostCount - Posts.size).</summary>
    public int More { get; init; }
}
