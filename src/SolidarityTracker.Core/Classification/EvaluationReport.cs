namespace SolidarityTracker.Classification;

public sealed record EvaluationReport(IReadOnlyList<LabelFigures> PerLabel, int Posts, int ExactMatches, IReadOnlyList<Mistake> Mistakes)
{
    public double MacroF1 => PerLabel.Average(l => l.F1);
    public double ExactMatchRate => Posts == 0 ? 0 : (double)ExactMatches / Posts;
    public LabelFigures For(string label) => PerLabel.First(l => l.Label == label);
}
