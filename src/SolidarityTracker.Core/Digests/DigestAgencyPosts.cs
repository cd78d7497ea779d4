namespace SolidarityTracker.Digests;

/// <summary>An agency's posts in a <see cref="DigestLabelSection"/>.</summary>
/// <param name="PostCount">The agency's posts of this label that day, exact.</param>
/// <param name="Posts">The first of them, oldest first, as many as the section's cap left for this agency.</param>
/// <param name="More">The agency's posts left out (PostCount - Posts.size).</param>
public sealed record DigestAgencyPosts(string Id, string Name, string? State, int PostCount, IReadOnlyList<DigestPost> Posts, int More);
