namespace SolidarityTracker.Incidents;

/// <summary>
/// Posts about one loss: the name most of their agencies use (<see cref="Title"/>, <see cref="Kind"/>), the other names
/// the same posts use, every key that names it (a later post naming any of them is about the same loss), and the posts
/// (indices into the grouped list).
/// </summary>
public sealed record IncidentGroup(string Key, string Kind, string Title, IReadOnlyList<string> Aliases, IReadOnlyList<string> Keys, IReadOnlySet<int> Members);
