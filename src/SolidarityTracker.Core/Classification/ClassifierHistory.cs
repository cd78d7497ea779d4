namespace SolidarityTracker.Classification;

/// <summary>
/// The per-batch history is the Markdown table of docs/classifier-history.md (the one file people read and edit):
/// it is parsed back row by row, so `eval --history` prints it and `eval FILE --record` appends to it. The copy
/// built into the assembly is the history as of the build.
/// </summary>
public static class ClassifierHistory
{
    public const string Header = "| date | batch | posts | classifier | scored | macro-F1 | condolence | memorial | safety_reminder |";

    public static IReadOnlyList<HistoryRow> Embedded()
    {
        using var stream = typeof(ClassifierHistory).Assembly.GetManifestResourceStream("SolidarityTracker.Classification.classifier-history.md")
            ?? throw new InvalidOperationException("classifier-history.md is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "classifier-history.md");
    }

    public static IReadOnlyList<HistoryRow> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The rows of the table that starts with <see cref="Header"/>; a malformed row is bad input naming file:line.</summary>
    public static IReadOnlyList<HistoryRow> Parse(string markdown, string where)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == Header);
        if (start < 0) throw new BadInputException($"{where}: no history table (expected the header {Header})");
        var rows = new List<HistoryRow>();
        for (var i = start + 2; i < lines.Length && lines[i].TrimStart().StartsWith('|'); i++)
        {
            var cells = lines[i].Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 9) throw new BadInputException($"{where}:{i + 1}: {cells.Length} cells, expected 9");
            if (!int.TryParse(cells[2], NumberStyles.None, CultureInfo.InvariantCulture, out var posts))
                throw new BadInputException($"{where}:{i + 1}: posts \"{cells[2]}\" is not a count");
            rows.Add(new HistoryRow(cells[0], cells[1], posts, cells[3], cells[4], Score(cells[5], where, i)!.Value,
                Score(cells[6], where, i), Score(cells[7], where, i), Score(cells[8], where, i)));
        }
        return rows;
    }

    private static double? Score(string cell, string where, int line)
    {
        if (cell.Length == 0) return null;
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1) return value;
        throw new BadInputException($"{where}:{line + 1}: \"{cell}\" is not a score between 0 and 1");
    }

    public static string Format(HistoryRow row)
    {
        static string F(double? v) => v is { } x ? x.ToString("F3", CultureInfo.InvariantCulture) : "";
        return $"| {row.Date} | {row.Batch} | {row.Posts} | {row.Classifier} | {row.Scored} | {F(row.MacroF1)} | {F(row.Condolence)} | {F(row.Memorial)} | {F(row.SafetyReminder)} |";
    }

    /// <summary>Appends a row at the end of the table of the file (the text after the table stays where it is).</summary>
    public static void Append(string path, HistoryRow row)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
        var markdown = File.ReadAllText(path);
        Parse(markdown, path);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n').ToList();
        var start = lines.FindIndex(l => l.Trim() == Header);
        var end = start + 2;
        while (end < lines.Count && lines[end].TrimStart().StartsWith('|')) end++;
        lines.Insert(end, Format(row));
        var text = new StringBuilder().AppendJoin('\n', lines).ToString();
        File.WriteAllText(path, text);
    }

    public static HistoryRow FromReport(string batch, string classifier, string scored, EvaluationReport report, DateOnly date) => new(
        date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), batch, report.Posts, classifier, scored, Math.Round(report.MacroF1, 3),
        Math.Round(report.For(Model.Labels.Condolence).F1, 3), Math.Round(report.For(Model.Labels.Memorial).F1, 3),
        Math.Round(report.For(Model.Labels.SafetyReminder).F1, 3));
}
