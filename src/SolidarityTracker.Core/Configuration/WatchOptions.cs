namespace SolidarityTracker.Configuration;

/// <summary>A standing search: newly stored posts matching every criterion given (an empty list matches any).</summary>
public sealed class WatchOptions
{
    public string Name { get; set; } = "";
    /// <summary>A full-text query, as export's --query.</summary>
    public string? Query { get; set; }
    public List<string> Labels { get; set; } = [];
    public List<string> States { get; set; } = [];
    public List<string> Agencies { get; set; } = [];
    public List<string> Platforms { get; set; } = [];

    public bool HasCriteria => !string.IsNullOrWhiteSpace(Query) || Labels.Count + States.Count + Agencies.Count + Platforms.Count > 0;
}
