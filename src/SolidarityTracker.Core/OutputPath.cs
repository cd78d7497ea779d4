namespace SolidarityTracker;

/// <summary>
/// A file or folder the user named for output (`--out`), checked before any work is done: a missing folder is a bad
/// argument (exit 2) unless the user asked for it to be made (`--mkdir`), and every failure names the path and what is
/// wrong with it. File-system errors met while writing are worded here too (<see cref="Describe"/>), always with the path.
/// </summary>
public static class OutputPath
{
    /// <summary>Checks a file to be written: its folder exists (made when <paramref name="mkdir"/>), and it is not itself a folder. Returns the full path.</summary>
    public static string CheckFile(string path, string option, bool mkdir)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new BadInputException($"{option}: empty path");
        var full = Full(path, option);
        if (Directory.Exists(full)) throw new BadInputException($"{option} {path}: {full} is a folder; name a file inside it");
        EnsureFolder(Path.GetDirectoryName(full)!, path, option, mkdir);
        return full;
    }

    /// <summary>
    /// Checks a folder to write files into: it exists (made when <paramref name="mkdir"/>) and is a folder. With
    /// <paramref name="makeLast"/> the folder itself is made when only it is missing (a command's own output folder). Returns the full path.
    /// </summary>
    public static string CheckFolder(string path, string option, bool mkdir, bool makeLast = false)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new BadInputException($"{option}: empty path");
        var full = Full(path, option);
        if (File.Exists(full)) throw new BadInputException($"{option} {path}: {full} is a file, not a folder");
        var parent = Path.GetDirectoryName(full);
        EnsureFolder(full, path, option, mkdir || (makeLast && parent is not null && Directory.Exists(parent)));
        return full;
    }

    private static string Full(string path, string option)
    {
        try { return Path.GetFullPath(path); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new BadInputException($"{option} {path}: not a usable path ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    private static void EnsureFolder(string folder, string path, string option, bool mkdir)
    {
        if (Directory.Exists(folder)) return;
        if (FileInTheWay(folder) is { } file) throw new BadInputException($"{option} {path}: {file} is a file, not a folder");
        if (!mkdir) throw new BadInputException($"{option} {path}: the folder {folder} does not exist (create it first, or add --mkdir)");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{option} {path}: cannot create the folder {folder}: {Reason(ex)}", ex);
        }
    }

    /// <summary>The regular file standing where <paramref name="folder"/> or one of its parents should be, if any.</summary>
    public static string? FileInTheWay(string folder)
    {
        // The nearest part of the path that exists says what is wrong: a file where a folder should be, or nothing yet.
        var existing = folder;
        while (!Directory.Exists(existing) && !File.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        return File.Exists(existing) ? existing : null;
    }

    /// <summary>One line for a file-system error on <paramref name="path"/>: what was being done, the path, and why.</summary>
    public static string Describe(string doing, string path, Exception ex) => $"cannot {doing} {path}: {Reason(ex)}";

    /// <summary>Why a file-system call failed, in words (the runtime's own message names other paths, such as a temporary file).</summary>
    public static string Reason(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "its folder does not exist",
        PathTooLongException => "the path is too long",
        IOException io when (io.HResult & 0xFFFF) is 28 or 39 or 112 => "the disk is full",
        IOException io when (io.HResult & 0xFFFF) is 30 => "the file system is read-only",
        IOException io when (io.HResult & 0xFFFF) is 17 or 20 => "a file stands where a folder is needed",
        _ => ex.Message.TrimEnd('.'),
    };
}
