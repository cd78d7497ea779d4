namespace SolidarityTracker.Sources.Rss;

/// <summary>A parsed feed: its title and image (the account's profile) and its items as posts.</summary>
public sealed record ParsedFeed(string? Title, string? ImageUrl, IReadOnlyList<Post> Posts);
