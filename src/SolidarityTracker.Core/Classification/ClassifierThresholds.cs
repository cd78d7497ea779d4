namespace SolidarityTracker.Classification;

/// <summary>
/// The calibrated score a label must reach to fit, per label (Classifier:Thresholds:condolence etc.). The defaults are
/// where the calibrated scores cross the lexicon's own decision point (raw log-odds 0), so the default labels are the
/// lexicon's; a lower threshold trades precision for recall.
/// </summary>
public sealed record ClassifierThresholds(double Condolence, double Memorial, double SafetyReminder)
{
    public static ClassifierThresholds Default { get; } = new(0.63, 0.65, 0.69);

    public double[] ToArray() => [Condolence, Memorial, SafetyReminder];

    public double For(string label) => ToArray()[Labels.IndexOf(label)];
}
