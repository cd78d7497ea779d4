using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Digests;

/// <summary>Templates as a user meets them: overrides file by file, and a broken one named by file, line and column.</summary>
public sealed class DigestTemplateTests
{
    [Fact]
    public async Task A_broken_override_template_is_reported_with_file_line_and_column_and_exit_code_2()
    {
        using var dir = new TestDirectory();
        var templates = Path.Combine(dir.Path, "my-templates");
        dir.Write("my-templates/digest.html.sbn", "<html>\n<body>\n  <p>{{ for p in digest.incidents }}</p>\n  {{ digest.date + }}\n</body>\n");
        using var world = new DigestWorld(templates: templates);

        var result = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--format", "html");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^error: .*my-templates[/\\]digest\.html\.sbn:4:\d+: ", line);
        Assert.False(File.Exists(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html")));
    }

    [Fact]
    public async Task A_runtime_error_in_a_template_is_reported_with_file_line_and_column()
    {
        using var dir = new TestDirectory();
        var templates = Path.Combine(dir.Path, "t");
        dir.Write("t/digest.txt.sbn", "Digest {{ digest.date }}\n{{ no_such_variable }}\n");
        using var world = new DigestWorld(templates: templates);

        var result = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13", "--format", "txt");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"^error: .*[/\\]t[/\\]digest\.txt\.sbn:2:4: .*no_such_variable", result.Error.Trim());
    }

    [Fact]
    public async Task An_override_replaces_only_its_own_file_and_the_shipped_templates_serve_the_rest()
    {
        using var dir = new TestDirectory();
        var templates = Path.Combine(dir.Path, "t");
        dir.Write("t/digest.md.sbn", "CUSTOM {{ digest.date }}: {{ digest.summary.posts }} posts{{ for s in digest.label_sections }}; {{ s.name }}={{ s.count }}{{ end }}\n");
        using var world = new DigestWorld(templates: templates);
        await DigestScenario.SeedAsync(world);

        var result = await CliRunner.RunAsync("digest", "--config", world.ConfigFile, "--date", "2026-05-13");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("digest 2026-05-13: 9 posts (condolence 3, memorial 4, safety_reminder 4)", result.Output);
        Assert.Equal("CUSTOM 2026-05-13: 9 posts; condolence=3; memorial=4; safety_reminder=4\n",
            File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.md")));
        Assert.Contains("<!DOCTYPE html>", File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.html")));
        Assert.StartsWith("SOLIDARITY DIGEST 2026-05-13", File.ReadAllText(Path.Combine(world.OutputDirectory, "digest-2026-05-13.txt")));
        Assert.Equal(3, Directory.GetFiles(world.OutputDirectory).Length); // no temp files left behind
    }

    [Fact]
    public async Task Check_renders_every_template_against_a_sample_day_and_reports_a_broken_one()
    {
        using var dir = new TestDirectory();
        var templates = Path.Combine(dir.Path, "t");
        dir.Write("t/digest.html.sbn", "{{ for i in digest.incidents }}{{ i.no_such | string.nope }}{{ end }}");
        using var world = new DigestWorld(templates: templates);

        var result = await CliRunner.RunAsync("check", "--config", world.ConfigFile);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"digest\.html\.sbn:1:\d+: ", result.Error);
    }

    [Fact]
    public void Shipped_templates_pass_check()
    {
        using var world = new DigestWorld();
        Assert.Equal(3, world.Service().ValidateTemplates().Count);
    }
}

public sealed class DigestTemplateDocumentationTests
{
    [Fact]
    public async Task The_example_in_the_template_documentation_renders()
    {
        var doc = File.ReadAllText(RepositoryRoot.File("docs", "digest-template-model.md"));
        var example = doc[(doc.LastIndexOf("```\n# {{", StringComparison.Ordinal) + 4)..];
        example = example[..example.IndexOf("```", StringComparison.Ordinal)];
        using var dir = new TestDirectory();
        dir.Write("t/digest.md.sbn", example);
        using var world = new DigestWorld(templates: dir.File("t"));
        await DigestScenario.SeedAsync(world);
        var outcome = await world.Service().RunAsync(new(DigestScenario.Day, ["md"]));
        Assert.Equal("# Solidarity digest 2026-05-13\n- Condolences: 3 (+3)\n- Memorials: 4 (+3)\n- Safety reminders: 4 (+3)", File.ReadAllText(outcome.Files[0]).TrimEnd());
    }
}
