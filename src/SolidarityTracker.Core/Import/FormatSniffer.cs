namespace SolidarityTracker.Import;

/// <summary>Tells the format of an archive from its name, then from its first bytes.</summary>
internal static class FormatSniffer
{
    public static string Guess(string file, FileStream stream)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension == ".csv") return "csv";
        if (extension == ".js") return "x-archive";

        var head = new byte[64 * 1024];
        var read = stream.Read(head, 0, head.Length);
        stream.Position = 0;
        var text = Encoding.UTF8.GetString(head, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith("window.YTD.", StringComparison.Ordinal)) return "x-archive";
        var firstLine = text.Split('\n')[0];
        if (firstLine.StartsWith('{'))
        {
            // A twarc2 page has "data"/"includes"/"meta"; a flattened tweet has author_id; an export row has post_id.
            if (firstLine.Contains("\"post_id\"", StringComparison.Ordinal)) return "jsonl";
            if (firstLine.Contains("\"data\"", StringComparison.Ordinal) || firstLine.Contains("\"author_id\"", StringComparison.Ordinal)
                || firstLine.Contains("\"includes\"", StringComparison.Ordinal) || firstLine.Contains("\"meta\"", StringComparison.Ordinal))
                return "twarc2";
        }
        if (firstLine.Contains("post_id", StringComparison.Ordinal) && firstLine.Contains(',')) return "csv";
        if (extension is ".jsonl" or ".ndjson") return "jsonl";
        if (read == 0) throw new BadInputException($"{file}: empty file, nothing to import");
        throw new BadInputException($"{file}: cannot tell the archive format; pass --format {string.Join("|", ArchiveImporter.Formats)}");
    }
}
