using System.Text.Encodings.Web;

namespace SolidarityTracker.Text;

/// <summary>
/// JSON for people and programs reading the command line's output: UTF-8 as written, so "🙏" stays 🙏 and "é" stays é
/// (System.Text.Json's relaxed encoder still writes every character beyond U+FFFF as \uD83D\uDE4F escapes). Only what JSON
/// requires is escaped: the quote, the backslash, control characters, and lone surrogates; U+2028 and U+2029 too, so a
/// line is safe to paste into JavaScript. Never for HTML: pages and templates escape for HTML on their own.
/// </summary>
public sealed class Utf8Json : JavaScriptEncoder
{
    public static readonly Utf8Json Encoder = new();

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder };

    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = Encoder };

    /// <summary>For a document people read whole (`status --json`, `alerts --json`, `incidents --json`).</summary>
    public static readonly JsonSerializerOptions IndentedSerializerOptions = new() { Encoder = Encoder, WriteIndented = true };

    private Utf8Json() { }

    public override int MaxOutputCharactersPerInputCharacter => 12;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar is '"' or '\\' or 0x2028 or 0x2029 || (unicodeScalar is >= 0xD800 and <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (WillEncode(c)) return i;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ when !WillEncode(unicodeScalar) => char.ConvertFromUtf32(unicodeScalar),
            _ => $"\\u{unicodeScalar:X4}",
        };
        numberOfCharactersWritten = 0;
        if (escape.Length > bufferLength) return false;
        for (var i = 0; i < escape.Length; i++) buffer[i] = escape[i];
        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
