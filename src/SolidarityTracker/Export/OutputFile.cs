using System.Text;

namespace SolidarityTracker.Export;

/// <summary>
/// Where a command's output goes: standard output, or a file that appears whole or not at all (written to a
/// temporary file beside it, then moved into place), so a reader never sees half an export.
/// </summary>
public static class OutputFile
{
    /// <summary>UTF-8 without a byte order mark, on standard output and in files alike, so both are byte for byte the same.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static async Task<T> WriteAsync<T>(string? path, TextWriter standardOutput, Func<TextWriter, Task<T>> write)
    {
        if (path is null)
        {
            var result = await write(standardOutput);
            await standardOutput.FlushAsync();
            return result;
        }
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            T result;
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            await using (var writer = new StreamWriter(stream, Utf8, 1 << 16))
            {
                result = await write(writer);
            }
            File.Move(temp, full, overwrite: true);
            return result;
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }
}
