using System.Text.RegularExpressions;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Documentation;

/// <summary>What a fresh clone reads: every link of every committed document leads to a file of the repository.</summary>
public sealed partial class RepositoryDocumentTests
{
    private static IEnumerable<string> Documents() =>
        Directory.EnumerateFiles(RepositoryRoot.Path, "*.md", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "demo" or "node_modules"));

    [Fact]
    public void Every_relative_link_of_a_document_leads_to_a_file_of_the_repository()
    {
        var broken = new List<string>();
        foreach (var document in Documents())
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, target));
                if (!full.StartsWith(RepositoryRoot.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !(File.Exists(full) || Directory.Exists(full)))
                    broken.Add($"{Path.GetRelativePath(RepositoryRoot.Path, document)}: {target}");
            }
        }
        Assert.Empty(broken);
    }

    [Fact]
    public void No_document_names_a_path_outside_the_repository()
    {
        var outside = Documents()
            .SelectMany(d => File.ReadLines(d).Select((line, i) => (d, line, i)))
            .Where(x => AbsolutePath().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(RepositoryRoot.Path, x.d)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.Empty(outside);
    }

    [Fact]
    public void The_label_definitions_are_in_the_repository_and_the_readme_links_them()
    {
        var labels = File.ReadAllText(RepositoryRoot.File("docs", "LABELS.md"));
        foreach (var label in SolidarityTracker.Model.Labels.All) Assert.Contains($"`{label}`", labels);
        Assert.Contains("(docs/LABELS.md)", File.ReadAllText(RepositoryRoot.File("README.md")));
    }

    [Fact]
    public void The_default_digest_folder_is_ignored_by_git()
    {
        var ignored = File.ReadAllLines(RepositoryRoot.File(".gitignore")).Select(l => l.Trim().Trim('/')).ToHashSet();
        Assert.Contains(new SolidarityTracker.Configuration.DigestOptions().OutputDirectory.Trim('/'), ignored);
        Assert.Contains("demo", ignored);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    // A machine's own folders (the workspace root, home folders, C:\…); /tmp in an example and the systemd example's /var/lib and /etc paths are the deployment's.
    [GeneratedRegex(@"(?<![\w.])(/w[o]rk/|/home/|/root/|[A-Z]:\\)")]
    private static partial Regex AbsolutePath();
}
