namespace SolidarityTracker.Export;

/// <summary>
/// Where a command's output goes: standard output, or a file that appears whole or not at all (<see cref="AtomicFile"/>),
/// so a reader never sees half an export.
/// </summary>
public static class OutputFile
{
    /// <summary>UTF-8 without a byte order mark, on standard output and in files alike, so both are byte for byte the same.</summary>
    public static readonly Encoding Utf8 = AtomicFile.Utf8;

    public static Task<T> WriteAsync<T>(string? path, TextWriter standardOutput, Func<TextWriter, Task<T>> write) =>
        WriteAsync(path, standardOutput, write, async stream =>
        {
            await using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true);
            return await write(writer);
        });

    /// <summary>As above, with a writer of bytes for files (<paramref name="writeBytes"/>) beside the writer of text for standard output.</summary>
    public static async Task<T> WriteAsync<T>(string? path, TextWriter standardOutput, Func<TextWriter, Task<T>> writeText, Func<Stream, Task<T>> writeBytes)
    {
        if (path is null)
        {
            var result = await writeText(standardOutput);
            await standardOutput.FlushAsync();
            return result;
        }
        return await AtomicFile.WriteAsync(path, writeBytes);
    }
}
