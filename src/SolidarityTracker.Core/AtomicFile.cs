namespace SolidarityTracker;

/// <summary>
/// A file that appears whole or not at all: written to a temporary file beside it, then moved into place, so a
/// reader (a mail client, a spreadsheet, a health check) never sees half of it. UTF-8 without a byte order mark.
/// Its folder is made when missing; a file-system failure is an <see cref="IOException"/> whose message names the path.
/// </summary>
public static class AtomicFile
{
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>; returns the full path written.</summary>
    public static string WriteAllText(string path, string contents) =>
        WriteAsync(path, stream =>
        {
            var bytes = Utf8.GetBytes(contents);
            stream.Write(bytes);
            return Task.FromResult(Path.GetFullPath(path));
        }).GetAwaiter().GetResult();

    /// <summary>Lets <paramref name="write"/> fill the file; nothing replaces <paramref name="path"/> unless it finishes.</summary>
    public static async Task<T> WriteAsync<T>(string path, Func<Stream, Task<T>> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(OutputPath.FileInTheWay(directory) is { } file
                ? $"cannot write {full}: {file} is a file, not a folder"
                : OutputPath.Describe("create the folder", directory, ex), ex);
        }
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            T result;
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = await write(stream);
            }
            File.Move(temp, full, overwrite: true);
            return result;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(Directory.Exists(full) ? $"cannot write {full}: it is a folder" : OutputPath.Describe("write", full, ex), ex);
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { }
        }
    }
}
