namespace SolidarityTracker.Classification;

/// <summary>Confusion counts and figures of one label.</summary>
public sealed record LabelFigures(string Label, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public int Support => TruePositives + FalseNegatives;
    public double Precision => TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => Support == 0 ? 1.0 : (double)TruePositives / Support;
    public double F1 => Precision + Recall == 0 ? 0.0 : 2 * Precision * Recall / (Precision + Recall);
}
