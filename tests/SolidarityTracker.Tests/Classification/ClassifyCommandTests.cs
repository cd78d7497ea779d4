using System.Text.Json;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Classification;

public sealed class ClassifyCommandTests
{
    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public async Task Classify_prints_one_JSON_line_per_text_with_its_position_as_id()
    {
        using var dir = new TestDirectory();
        var result = await CliRunner.RunAsync("classify", "--config", Config.Write(dir),
            "Praying for Baton Rouge 🙏💙", "@OakmontPD we are with you tonight 🖤💙", "Memorial Drive is closed for repairs.");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Output);
        Assert.Equal(3, lines.Count);
        Assert.Equal([1, 2, 3], lines.Select(l => l.GetProperty("id").GetInt32()));
        Assert.Equal(["condolence"], lines[0].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["condolence"], lines[1].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Empty(lines[2].GetProperty("labels").EnumerateArray());
        var scores = lines[0].GetProperty("scores");
        Assert.True(scores.GetProperty("condolence").GetDouble() >= 0.5);
        Assert.True(scores.GetProperty("memorial").GetDouble() < 0.5);
        Assert.True(scores.GetProperty("safety_reminder").GetDouble() < 0.5);
        Assert.Contains(lines[0].GetProperty("evidence").EnumerateArray(),
            e => e.GetProperty("label").GetString() == "condolence" && e.GetProperty("phrase").GetString() == "Praying for");
    }

    [Fact]
    public async Task Classify_writes_UTF_8_so_emoji_and_accents_stay_as_written()
    {
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("classify", "--config", Config.Write(dir), "Praying for Baton Rouge 🙏", "Nos pensées vont à la famille de l'agent 🙏");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"phrase\":\"🙏\"", result.Output);
        Assert.DoesNotContain("\\u", result.Output);
        Assert.All(Lines(result.Output), l => Assert.Equal(JsonValueKind.Object, l.ValueKind));
    }

    [Fact]
    public async Task Evidence_quotes_the_words_of_the_post_that_matched_with_apostrophes_and_without_wildcards()
    {
        using var dir = new TestDirectory();

        var result = await CliRunner.RunAsync("classify", "--config", Config.Write(dir), "We're here for you, Millbrook. Officer Daniel Reyes died protecting his city.");

        Assert.True(result.ExitCode == 0, result.ToString());
        var phrases = Lines(result.Output)[0].GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("phrase").GetString()!).ToList();
        Assert.Contains("We're here for you", phrases);
        Assert.Contains(phrases, p => p.StartsWith("Officer Daniel") && p.EndsWith("died"));
        Assert.DoesNotContain(phrases, p => p.Contains('*') || p.Contains(" re "));
    }

    [Fact]
    public async Task Classify_input_reports_a_bad_line_in_place_and_classifies_the_others_in_order()
    {
        using var dir = new TestDirectory();
        var input = dir.Write("posts.jsonl", string.Join('\n',
            """{"id":"a-1","text":"Avoid the area of Main St."}""",
            """this is not json""",
            """{"id":1234567890123456789012,"text":"Sgt. Jane Doe, EOW 7/17/2016. Never forgotten."}""",
            """{"id":"no-text"}""",
            "",
            """{"id":7,"text":"Hamden PD sends our deepest condolences to Baton Rouge."}""") + "\n");
        var result = await CliRunner.RunAsync("classify", "--config", Config.Write(dir), "--input", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Output);
        Assert.Equal(5, lines.Count);
        Assert.Equal("a-1", lines[0].GetProperty("id").GetString());
        Assert.Equal(["safety_reminder"], lines[0].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.StartsWith("line 2: not JSON", lines[1].GetProperty("error").GetString());
        Assert.Equal(2, lines[1].GetProperty("id").GetInt32());
        // A numeric id is echoed exactly as written, even past what a double holds.
        Assert.Equal("1234567890123456789012", lines[2].GetProperty("id").GetRawText());
        Assert.Equal(["memorial"], lines[2].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("no-text", lines[3].GetProperty("id").GetString());
        Assert.Equal("line 4: no \"text\" string", lines[3].GetProperty("error").GetString());
        Assert.Equal(7, lines[4].GetProperty("id").GetInt32());
        Assert.Equal(["condolence"], lines[4].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains("2 of 5 lines could not be classified", result.Error);
    }

    [Fact]
    public async Task Classify_input_with_no_good_line_is_bad_input()
    {
        using var dir = new TestDirectory();
        var input = dir.Write("bad.jsonl", "nope\n{\"id\":1}\n");
        var result = await CliRunner.RunAsync("classify", "--config", Config.Write(dir), "--input", input);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no line could be classified", result.Error);
        Assert.Equal(2, Lines(result.Output).Count);
    }

    [Fact]
    public async Task Classify_with_a_missing_file_or_nothing_to_classify_is_bad_input()
    {
        using var dir = new TestDirectory();
        var missing = await CliRunner.RunAsync("classify", "--config", Config.Write(dir), "--input", dir.File("missing.jsonl"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing.jsonl: file not found", missing.Error);
        var nothing = await CliRunner.RunAsync("classify", "--config", Config.Write(dir));
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("give TEXT arguments or --input FILE", nothing.Error);
    }

    [Fact]
    public async Task Classify_input_streams_a_large_file_line_for_line()
    {
        using var dir = new TestDirectory();
        var path = dir.File("big.jsonl");
        var texts = SolidarityTracker.Bench.ClassifyBenchmark.GenerateTexts(25_000, seed: 3);
        using (var writer = new StreamWriter(path))
            for (var i = 0; i < texts.Length; i++) writer.WriteLine(JsonSerializer.Serialize(new { id = i, text = texts[i] }));
        var result = await CliRunner.RunAsync("classify", "--config", Config.Write(dir), "--input", path);
        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(25_000, lines.Length);
        Assert.StartsWith("{\"id\":24999,", lines[^1]);
    }
}
