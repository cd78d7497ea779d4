namespace SolidarityTracker.Cli;

/// <summary>Options several commands share, and the parsing of their values into bad-input errors.</summary>
public static class CliOptions
{
    public static Option<string?> Text(string name, string description) => new(name) { Description = description };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>`--out FILE` of the commands that write one file: standard output without it.</summary>
    public static Option<string?> Out() => Text("--out", "Write to this file (it appears whole when done) instead of standard output.");

    /// <summary>`--mkdir`: make the missing folders of `--out` (without it a missing folder is a bad argument, exit 2).</summary>
    public static Option<bool> Mkdir() => Flag("--mkdir", "Create the missing folders of --out (without it a missing folder is an error, exit 2).");

    /// <summary>`--out FILE` checked before any work: its folder exists (or --mkdir made it) and it is not a folder.</summary>
    public static string? OutFile(string? value, bool mkdir) => value is null ? null : OutputPath.CheckFile(value, "--out", mkdir);

    public static DateOnly? ParseDate(string? value, string option)
    {
        if (value is null) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        throw new BadInputException($"{option} {value}: not a date (expected YYYY-MM-DD)");
    }

    public static string? ParseLabel(string? value, string option = "--label")
    {
        if (value is null) return null;
        var label = value.Trim().ToLowerInvariant().Replace('-', '_');
        if (Labels.IsKnown(label) || label == Labels.Other) return label;
        throw new BadInputException($"{option} {value}: unknown label (expected {string.Join(", ", Labels.All)} or other)");
    }

    public static string? ParsePlatform(string? value, string option = "--platform")
    {
        if (value is null) return null;
        var platform = value.Trim().ToLowerInvariant();
        if (Platforms.IsKnown(platform)) return platform;
        throw new BadInputException($"{option} {value}: unknown platform (expected {string.Join(", ", Platforms.All)})");
    }

    public static string ParseChoice(string? value, string option, IReadOnlyList<string> choices, string fallback)
    {
        if (value is null) return fallback;
        var choice = value.Trim().ToLowerInvariant();
        if (choices.Contains(choice)) return choice;
        throw new BadInputException($"{option} {value}: expected one of {string.Join(", ", choices)}");
    }

    /// <summary>--from/--to as local dates in Digest:TimeZone, turned into the UTC instants [from 00:00, to+1 00:00).</summary>
    public static (DateTimeOffset? FromUtc, DateTimeOffset? ToUtc) ParseRange(string? from, string? to, TimeZoneInfo zone)
    {
        var fromDate = ParseDate(from, "--from");
        var toDate = ParseDate(to, "--to");
        if (fromDate is { } f && toDate is { } t && f > t)
            throw new BadInputException($"--from {from} is after --to {to}");
        return (fromDate is { } fd ? LocalDay.StartOf(fd, zone) : null, toDate is { } td ? LocalDay.StartOf(td.AddDays(1), zone) : null);
    }
}
