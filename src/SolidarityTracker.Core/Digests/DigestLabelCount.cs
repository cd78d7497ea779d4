namespace SolidarityTracker.Digests;

/// <summary>A label's posts and agencies, with the previous local day's posts and the change ("+12", "−3", "±0").</summary>
public sealed record DigestLabelCount(string Name, int Count, int Agencies, int Previous, string Change)
{
    public string Title => DigestModelBuilder.LabelLooks[Name].Title;
    public string Color => DigestModelBuilder.LabelLooks[Name].Color;
}
