namespace SolidarityTracker.Classification;

public static class LabelledPosts
{
    /// <summary>Reads labelled JSONL; a bad line is bad input naming file:line.</summary>
    public static IEnumerable<LabelledPost> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
        using var reader = new StreamReader(path);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return Parse(line, $"{path}:{lineNumber}", lineNumber);
        }
    }

    public static LabelledPost Parse(string line, string where, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BadInputException($"{where}: not a JSON object");
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : idElement.GetRawText() : lineNumber.ToString();
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new BadInputException($"{where}: no \"text\" string");
            if (!root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array)
                throw new BadInputException($"{where}: no \"labels\" array");
            var list = new List<string>();
            foreach (var label in labels.EnumerateArray())
            {
                var name = label.ValueKind == JsonValueKind.String ? label.GetString() : null;
                if (name == Model.Labels.Other) continue;
                if (!Model.Labels.IsKnown(name))
                    throw new BadInputException($"{where}: unknown label {label.GetRawText()} (expected {string.Join(", ", Model.Labels.All)})");
                if (!list.Contains(name!)) list.Add(name!);
            }
            return new LabelledPost(id, text.GetString()!, list, lineNumber);
        }
        catch (JsonException ex)
        {
            throw new BadInputException($"{where}: not JSON ({ex.Message.Split(". ")[0].TrimEnd('.')})", ex);
        }
    }
}
