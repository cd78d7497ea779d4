namespace SolidarityTracker.Configuration;

/// <summary>The classifier: the calibrated score each label must reach to fit (Classifier:Thresholds:condolence, :memorial, :safety_reminder).</summary>
public sealed class ClassifierOptions
{
    public Dictionary<string, double> Thresholds { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
