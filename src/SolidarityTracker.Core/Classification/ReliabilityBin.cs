namespace SolidarityTracker.Classification;

/// <summary>One bin of a reliability table: posts whose score fell in [From, To), their mean score and how many had the label.</summary>
public sealed record ReliabilityBin(double From, double To, int Posts, double MeanScore, int Positives)
{
    public double Observed => Posts == 0 ? 0 : (double)Positives / Posts;
}
