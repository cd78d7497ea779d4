using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using SolidarityTracker.Storage;

namespace SolidarityTracker.Cli;

/// <summary>`corrections [--format jsonl]`: the posts whose labels a person corrected, as labelled JSONL (id, text, labels) that `eval` reads.</summary>
public static class CorrectionsCommand
{
    public static readonly IReadOnlyList<string> Formats = ["jsonl"];

    public static Command Create(CliApp app)
    {
        var format = CliOptions.Text("--format", "jsonl (default): {\"id\":\"platform:post_id\",\"text\":…,\"labels\":[…],\"corrected_by\":…,\"corrected_at\":…} per line.");
        var command = new Command("corrections", "Print the posts whose labels were corrected (dashboard or API), newest correction of each, as labelled JSONL for `eval`.") { format };
        command.SetAction(async (parse, ct) =>
        {
            CliOptions.ParseChoice(parse.GetValue(format), "--format", Formats, "jsonl");
            await foreach (var post in new LabelCorrections(app.Get<TrackerDatabase>()).AllAsync(ct))
                await app.Out.WriteLineAsync(Line(post));
            return TrackerCli.Success;
        });
        return command;
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = SolidarityTracker.Text.Utf8Json.Encoder };

    public static string Line(CorrectedPost post) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = post.Id,
        ["text"] = post.Text,
        ["labels"] = post.Labels,
        ["corrected_by"] = post.By,
        ["corrected_at"] = Export.ExportColumns.Timestamp(post.At),
    }, Json);
}
