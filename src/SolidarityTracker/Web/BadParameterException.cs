namespace SolidarityTracker.Web;

/// <summary>A query or body parameter of a web request that cannot be used: 400 naming it.</summary>
public sealed class BadParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}
