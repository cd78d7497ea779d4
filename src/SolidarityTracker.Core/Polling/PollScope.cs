namespace SolidarityTracker.Polling;

/// <summary>Which accounts a cycle asks: the due ones (the worker), or every enabled one (a person running `poll`).</summary>
public enum PollScope
{
    Due,
    EveryEnabled,
}
