namespace SolidarityTracker.Classification;

/// <summary>One line of labelled JSONL: {"id":…,"text":…,"labels":[…]}. Id is kept as written (string or number).</summary>
public sealed record LabelledPost(string Id, string Text, IReadOnlyList<string> Labels, int Line);
