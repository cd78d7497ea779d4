using CsvHelper;

namespace SolidarityTracker.Tests.Export;

/// <summary>Reads CSV output back with CsvHelper: the header, and each record as column name to value.</summary>
public static class Csv
{
    public static (IReadOnlyList<string> Header, List<Dictionary<string, string>> Rows) Parse(string text)
    {
        using var reader = CsvReader.FromText(text);
        var rows = new List<Dictionary<string, string>>();
        string[]? header = null;
        while (reader.Read())
        {
            header ??= reader.Headers.ToArray();
            var row = new Dictionary<string, string>();
            for (var i = 0; i < header.Length; i++) row[header[i]] = reader.GetString(i) ?? "";
            rows.Add(row);
        }
        header ??= reader.Headers.ToArray();
        return (header, rows);
    }
}
