namespace SolidarityTracker.Cli;

/// <summary>"reclassify: 1500/4200 posts" on stderr: rewritten in place on a terminal, one line per report elsewhere.</summary>
internal sealed class ProgressLine(TextWriter error, string command)
{
    private readonly bool _inPlace = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    private bool _written;

    public void Report(string progress)
    {
        var line = $"{command}: {progress}";
        if (_inPlace) error.Write($"\r{line}\u001b[K");
        else error.WriteLine(line);
        _written = true;
    }

    public void Done()
    {
        if (_inPlace && _written) error.WriteLine();
    }
}
