namespace SolidarityTracker.Incidents;

/// <summary>What a post refers to: a fallen officer by rank and name, hashtags, @mentioned accounts and places.</summary>
public sealed record PostReferences(
    IReadOnlyList<(string Key, string Title)> Officers,
    IReadOnlyList<(string Key, string Title)> Hashtags,
    IReadOnlyList<string> Mentions,
    IReadOnlyList<(string Key, string Title)> Places);
