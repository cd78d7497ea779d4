namespace SolidarityTracker.Web;

/// <summary>What a correction may say, from the form or the API: known labels only ("other" is none), and who made it.</summary>
public static class CorrectionInput
{
    public static IReadOnlyList<string> Labels(IEnumerable<string?> given)
    {
        var labels = new List<string>();
        foreach (var value in given)
        {
            var label = (value ?? "").Trim().ToLowerInvariant().Replace('-', '_');
            if (label == Model.Labels.Other) continue;
            if (!Model.Labels.IsKnown(label))
                throw new BadParameterException("labels", $"labels: unknown label {value} (expected {string.Join(", ", Model.Labels.All)} or other)");
            if (!labels.Contains(label)) labels.Add(label);
        }
        return labels;
    }

    /// <summary>A name to keep beside the correction, one line, at most 80 characters; <paramref name="fallback"/> when none is given.</summary>
    public static string By(string? given, string fallback)
    {
        var name = string.Join(' ', (given ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (name.Length == 0) return fallback;
        return name.Length <= 80 ? name : name[..80];
    }
}
