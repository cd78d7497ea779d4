using System.Text.Json;
using System.Text.RegularExpressions;
using SolidarityTracker.Export;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Documentation;

/// <summary>docs/export-columns.md is the data dictionary of what the export writes: it describes every column written, and no other.</summary>
public sealed partial class ExportColumnsDocumentTests
{
    /// <summary>The columns the dictionary's table describes, in its order, each with its type, meaning and example.</summary>
    private static List<string> DocumentedColumns()
    {
        var rows = File.ReadLines(RepositoryRoot.File("docs", "export-columns.md")).Select(l => TableRow().Match(l)).Where(m => m.Success).ToList();
        Assert.All(rows, m => Assert.True(m.Groups["cells"].Value.Split(" | ").All(cell => cell.Trim().Length > 0), $"{m.Groups["name"].Value}: every cell (type, meaning, example) filled in"));
        return rows.Select(m => m.Groups["name"].Value).ToList();
    }

    [Fact]
    public void The_data_dictionary_describes_exactly_the_columns_the_code_names_in_their_order()
    {
        Assert.Equal(ExportColumns.All, DocumentedColumns());
    }

    [Fact]
    public async Task The_data_dictionary_describes_exactly_the_columns_a_csv_and_a_json_export_write()
    {
        using var world = new DigestWorld();
        await world.AddAsync((world.Post("hamden-pd", DigestWorld.Utc("2026-05-13T14:05:00Z"), "Our thoughts & prayers are with Millbrook."), [Labels.Condolence]));
        var exporter = new PostExporter(world.Posts);

        var csv = new StringWriter();
        await exporter.ExportAsync(new PostQuery(), "csv", csv);
        var header = csv.ToString().Split("\r\n")[0].Split(',');

        var jsonl = new StringWriter();
        await exporter.ExportAsync(new PostQuery(), "jsonl", jsonl);
        using var row = JsonDocument.Parse(jsonl.ToString().Split('\n')[0]);
        var fields = row.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        var documented = DocumentedColumns();
        Assert.Equal(documented, header);
        Assert.Equal(documented, fields);
    }

    [Fact]
    public void The_readme_links_the_data_dictionary()
    {
        Assert.Contains("(docs/export-columns.md)", File.ReadAllText(RepositoryRoot.File("README.md")));
    }

    // | `column` | type | meaning | example |
    [GeneratedRegex(@"^\| `(?<name>[a-z_]+)` \|(?<cells>.+)\|\s*$")]
    private static partial Regex TableRow();
}
