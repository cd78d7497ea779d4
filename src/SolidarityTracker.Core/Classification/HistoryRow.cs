namespace SolidarityTracker.Classification;

/// <summary>One row of docs/classifier-history.md: a batch scored by one classifier version, untuned or not.</summary>
public sealed record HistoryRow(string Date, string Batch, int Posts, string Classifier, string Scored, double MacroF1,
    double? Condolence, double? Memorial, double? SafetyReminder)
{
    public bool Untuned => Scored == "untuned";
}
