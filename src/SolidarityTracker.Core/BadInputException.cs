namespace SolidarityTracker;

/// <summary>Bad input: a configuration key, an argument, a template or a file. The CLI turns it into exit code 2.</summary>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner);
