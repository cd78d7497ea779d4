namespace SolidarityTracker.Storage;

/// <summary>A classification as the columns of its classifications row (evidence as [{"label":…,"phrase":…,"weight":…}, …]).</summary>
internal readonly record struct LabelColumns(string Labels, double Condolence, double Memorial, double SafetyReminder, string Evidence, string ClassifierVersion)
{
    public static LabelColumns Of(ClassificationResult result) => new(
        string.Join(';', result.Labels),
        result.Score(Model.Labels.Condolence), result.Score(Model.Labels.Memorial), result.Score(Model.Labels.SafetyReminder),
        EvidenceJson(result), result.ClassifierVersion);

    public static LabelColumns[] Of(IReadOnlyList<ClassificationResult> results)
    {
        var columns = new LabelColumns[results.Count];
        for (var i = 0; i < columns.Length; i++) columns[i] = Of(results[i]);
        return columns;
    }

    public static IReadOnlyList<Evidence> ParseEvidence(string json) =>
        JsonSerializer.Deserialize<List<EvidenceRow>>(json)?.Select(e => new Evidence(e.label, e.phrase, e.weight)).ToList() ?? [];

    private static string EvidenceJson(ClassificationResult result) =>
        result.Evidence.Count == 0 ? "[]" : JsonSerializer.Serialize(result.Evidence.Select(e => new EvidenceRow(e.Label, e.Phrase, e.Weight)));

    private sealed record EvidenceRow(string label, string phrase, double weight);
}
