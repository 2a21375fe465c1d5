namespace Ingest.Gateway.Cli;

/// <summary>
/// The checks every command makes on the files and folders a person names, so each mistake gets one line saying what
/// was wrong and what to change, and no command ever writes over one of its own inputs.
/// </summary>
/// <remarks>
/// Outputs are written to a temporary file beside the target and renamed over it only when the command finished
/// writing (<see cref="OutputFile"/>): a failure half-way leaves whatever was there, and because a rename replaces the
/// folder entry rather than the file's contents, even a hard link to an input cannot be emptied.
/// </remarks>
internal static class CliFiles
{
    /// <summary>Checks that <paramref name="path"/>, given with <paramref name="option"/>, is an existing readable file.</summary>
    /// <returns>The path, for chaining.</returns>
    public static string RequireInputFile(string option, string? path)
    {
        var given = RequireNonEmpty(option, path);
        if (Directory.Exists(given))
        {
            throw new CliException($"{option} '{given}' is a folder; give a file inside it");
        }

        if (!File.Exists(given))
        {
            throw new CliException($"{option} '{given}' does not exist; check the path (relative paths start at {Environment.CurrentDirectory})");
        }

        try
        {
            using var probe = new FileStream(given, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{given}' cannot be read by this user; check its permissions");
        }
        catch (IOException ex)
        {
            throw new CliException($"{option} '{given}' cannot be read: {ex.Message}");
        }

        return given;
    }

    /// <summary>
    /// Checks an output file named with <paramref name="option"/>: not empty, not a folder, in a folder that exists, and
    /// not one of <paramref name="inputs"/> (compared after resolving symbolic links).
    /// </summary>
    /// <returns>The path, for chaining.</returns>
    public static string RequireOutputFile(string option, string? path, params string?[] inputs)
    {
        var given = RequireNonEmpty(option, path);
        if (Directory.Exists(given))
        {
            throw new CliException($"{option} '{given}' is a folder; give a file name, e.g. {Path.Combine(given, "rows.out")}");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(given));
        if (folder is null || !Directory.Exists(folder))
        {
            throw new CliException($"{option} '{given}': the folder {folder} does not exist; create it first or choose another");
        }

        foreach (var input in inputs)
        {
            if (input is not null && input != "-" && IsSameFile(given, input))
            {
                throw new CliException($"{option} '{given}' is also an input of this command; write to a different file so the input is kept");
            }
        }

        return given;
    }

    /// <summary>Checks a folder option: not empty and not an existing file (it may not exist yet).</summary>
    /// <returns>The path, for chaining.</returns>
    public static string RequireFolderOrAbsent(string option, string? path)
    {
        var given = RequireNonEmpty(option, path);
        if (File.Exists(given))
        {
            throw new CliException($"{option} '{given}' is a file; give a folder (it is created when it does not exist)");
        }

        return given;
    }

    /// <summary>True when both paths name the same file once symbolic links and relative parts are resolved.</summary>
    public static bool IsSameFile(string first, string second) =>
        string.Equals(Resolve(first), Resolve(second), StringComparison.Ordinal);

    private static string RequireNonEmpty(string option, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliException($"{option} is empty; give a path");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliException($"{option} contains a NUL character; give a plain path");
        }

        return path;
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            // The final link target, if the path is a (chain of) symbolic link(s); then the folders' links likewise.
            var target = File.ResolveLinkTarget(full, returnFinalTarget: true);
            if (target is not null)
            {
                full = target.FullName;
            }

            var folder = Path.GetDirectoryName(full);
            if (folder is not null && Directory.Exists(folder))
            {
                var folderTarget = Directory.ResolveLinkTarget(folder, returnFinalTarget: true);
                if (folderTarget is not null)
                {
                    full = Path.Combine(folderTarget.FullName, Path.GetFileName(full));
                }
            }
        }
        catch (IOException)
        {
            // A broken or looping link: compare the plain paths.
        }

        return full;
    }
}

/// <summary>
/// An output file written beside its target and renamed over it by <see cref="Commit"/>; disposed without a commit,
/// the temporary file is deleted and the target is untouched. Devices and pipes (e.g. /dev/stdout) are written directly.
/// </summary>
internal sealed class OutputFile : IDisposable
{
    private readonly string _target;
    private readonly string? _temporary;
    private bool _committed;

    private OutputFile(string target, string? temporary, Stream stream)
    {
        _target = target;
        _temporary = temporary;
        Stream = stream;
    }

    /// <summary>Where to write.</summary>
    public Stream Stream { get; }

    /// <summary>Creates the output for <paramref name="path"/> (already checked with <see cref="CliFiles.RequireOutputFile"/>).</summary>
    public static OutputFile Create(string option, string path)
    {
        try
        {
            if (IsSpecial(path))
            {
                return new OutputFile(path, null, new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite));
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.partial");
            return new OutputFile(path, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{option} '{path}' cannot be written by this user; choose a folder you can write to");
        }
        catch (IOException ex)
        {
            throw new CliException($"{option} '{path}' cannot be created ({ex.Message.TrimEnd('.')}); choose a file in a folder you can write to");
        }
    }

    /// <summary>Flushes the data to disk and puts the file in place of the target.</summary>
    public void Commit()
    {
        Stream.Flush();
        if (Stream is FileStream file && _temporary is not null)
        {
            file.Flush(flushToDisk: true);
        }

        Stream.Dispose();
        if (_temporary is not null)
        {
            File.Move(_temporary, _target, overwrite: true);
        }

        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed && _temporary is not null)
        {
            try
            {
                File.Delete(_temporary);
            }
            catch (IOException)
            {
                // Best effort: a leftover .partial file is named after the target and harmless.
            }
        }
    }

    // Device files (/dev/stdout, /dev/null) are not regular files: renaming over them would be wrong, and as root harmful.
    private static bool IsSpecial(string path)
    {
        var full = Path.GetFullPath(path);
        return full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal)
            || full.StartsWith("/sys/", StringComparison.Ordinal);
    }
}
