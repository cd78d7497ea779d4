using System.Text;
using SolidarityTracker.Import;

namespace SolidarityTracker.Tests.Import;

/// <summary>
/// The JSONL reader's one-pass reading of UTF-8 lines must give exactly what the general reading (a JSON document per
/// decoded line) gives, for every kind of line: line ends, escapes, numbers, repeated or escaped names, bad lines.
/// </summary>
public sealed class JsonlReaderTests
{
    private const string Good = """{"platform":"x","post_id":"1","agency_id":"brpd","agency_name":"Baton Rouge PD","account":"BRPD","created_at":"2016-07-17T14:05:00Z","url":"https://x.com/BRPD/status/1","text":"Our thoughts are with you.","labels":"condolence","condolence_score":0.9,"memorial_score":0,"safety_reminder_score":0,"is_repost":false,"is_reply":false,"lang":"en"}""";

    private static string With(string replace, string by) => Good.Replace(replace, by, StringComparison.Ordinal);

    public static TheoryData<string, string> Files => new()
    {
        { "one good line", Good + "\n" },
        { "no newline at the end", Good },
        { "CRLF line ends and blank lines", "\r\n" + Good + "\r\n\r\n  \t\r\n" + With("\"1\"", "\"2\"") + "\r\n" },
        { "lone CR line ends", Good + "\r" + With("\"1\"", "\"2\"") + "\r" },
        { "a UTF-8 byte order mark", "\uFEFF" + Good + "\n" },
        { "escapes in values", With("Our thoughts are with you.", "Caf\\u00e9 \\\"quoted\\\"\\nnew line \\ud83d\\udc99 \\/ \\\\") + "\n" },
        { "non-ASCII text", With("Our thoughts are with you.", "Nuestras condolencias 🖤💙 à Montréal") + "\n" },
        { "a number id and true flags", With("\"post_id\":\"1\"", "\"post_id\":754716130519171072").Replace("\"is_repost\":false", "\"is_repost\":true") + "\n" },
        { "flags as strings", With("\"is_reply\":false", "\"is_reply\":\"yes\"") + "\n" },
        { "nulls and empty strings", With("\"url\":\"https://x.com/BRPD/status/1\"", "\"url\":null").Replace("\"lang\":\"en\"", "\"lang\":\"\"") + "\n" },
        { "an escaped property name", With("\"text\":", "\"te\\u0078t\":") + "\n" },
        { "a repeated property", With("\"lang\":\"en\"", "\"lang\":\"en\",\"text\":\"Second text.\"") + "\n" },
        { "a list where a value is expected", With("\"lang\":\"en\"", "\"lang\":[\"en\",\"es\"]") + "\n" },
        { "labels as a list and an unknown nested object", With("\"labels\":\"condolence\"", "\"labels\":[\"condolence\",\"memorial\"],\"extra\":{\"a\":[1,{\"b\":null}]}") + "\n" },
        { "an extra field", With("\"lang\":\"en\"", "\"lang\":\"en\",\"reviewed_by\":\"analyst\"") + "\n" },
        { "not JSON", "this is not json\n" + Good + "\n" },
        { "text after the object", Good + " x\n" },
        { "two objects on a line", Good + Good + "\n" },
        { "a trailing comma", Good.TrimEnd('}') + ",}\n" },
        { "an unclosed object", Good.TrimEnd('}') + "\n" },
        { "a list, a string, a number", "[1,2]\n\"text\"\n42\n" },
        { "an empty object", "{}\n" },
        { "a line of non-breaking spaces", "\u00A0\u00A0\n" + Good + "\n" },
        { "a missing post_id", With("\"post_id\":\"1\",", "") + "\n" },
        { "a bad date", With("2016-07-17T14:05:00Z", "July 17th") + "\n" },
        { "a line longer than the read buffer", With("Our thoughts are with you.", new string('a', 600_000)) + "\n" + Good + "\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task The_one_pass_reading_gives_what_the_general_reading_gives(string kind, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);

        var fast = await ReadAsync(new JsonlExportReader().ReadAsync(new MemoryStream(bytes), "f.jsonl", default));
        var general = await ReadAsync(JsonlExportReader.ReadGeneralAsync(new MemoryStream(bytes), default));

        Assert.True(general.Count > 0, kind);
        Assert.Equal(general, fast);
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_text_is_read_as_the_replacement_character_as_a_text_reader_reads_it()
    {
        var bytes = Encoding.UTF8.GetBytes(Good + "\n").ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'O'), [0xC3, 0x28]);

        var fast = await ReadAsync(new JsonlExportReader().ReadAsync(new MemoryStream(bytes.ToArray()), "f.jsonl", default));

        Assert.Equal("\uFFFD(Our thoughts are with you.", Assert.Single(fast).Post!.Text);
        Assert.Equal(await ReadAsync(JsonlExportReader.ReadGeneralAsync(new MemoryStream(bytes.ToArray()), default)), fast);
    }

    [Fact]
    public async Task A_UTF16_file_with_its_byte_order_mark_is_read()
    {
        var bytes = new UnicodeEncoding(bigEndian: false, byteOrderMark: true).GetPreamble().Concat(Encoding.Unicode.GetBytes(Good + "\n")).ToArray();

        var records = await ReadAsync(new JsonlExportReader().ReadAsync(new MemoryStream(bytes), "f.jsonl", default));

        Assert.Equal("Our thoughts are with you.", Assert.Single(records).Post!.Text);
    }

    [Fact]
    public async Task Only_a_line_with_fields_beyond_the_export_columns_is_kept_as_raw_json()
    {
        var extra = With("\"lang\":\"en\"", "\"lang\":\"en\",\"reviewed_by\":\"analyst\"");
        var content = Encoding.UTF8.GetBytes(Good + "\n" + extra.Replace("\"1\"", "\"2\"") + "\n");

        var records = await ReadAsync(new JsonlExportReader().ReadAsync(new MemoryStream(content), "f.jsonl", default));

        Assert.Null(records[0].Post!.RawJson);
        Assert.Equal(extra.Replace("\"1\"", "\"2\""), records[1].Post!.RawJson);
    }

    private static async Task<List<ArchiveRecord>> ReadAsync(IAsyncEnumerable<ArchiveRecord> records)
    {
        var all = new List<ArchiveRecord>();
        await foreach (var record in records) all.Add(record);
        return all;
    }
}
