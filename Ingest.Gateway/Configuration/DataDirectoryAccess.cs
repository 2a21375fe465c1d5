using Ingest.Gateway.Cli;

namespace Ingest.Gateway.Configuration;

/// <summary>
/// Makes the data directory ready for the commands that write to it (<c>run</c>, <c>enroll</c>, <c>staff add</c>): created
/// when missing, and proven writable by this user, so a wrong <c>--data-dir</c> is one line before anything starts
/// rather than a failure deep in the spool or the registry.
/// </summary>
internal static class DataDirectoryAccess
{
    /// <summary>Creates <paramref name="directory"/> when it does not exist and checks that a file can be created in it.</summary>
    /// <exception cref="CliException">It cannot be created or written; the message says which and what to change.</exception>
    public static void Prepare(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"the data directory {directory} cannot be created ({Reason(ex)}); choose a folder this user can write to (--data-dir or DataDir)");
        }

        // A file of our own, deleted on close: permissions, a read-only mount or a pseudo file system (/proc) all show here.
        var probe = Path.Combine(directory, $".write-check.{Environment.ProcessId}");
        try
        {
            using var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"the data directory {directory} cannot be written ({Reason(ex)}); choose a folder this user can write to (--data-dir or DataDir)");
        }
    }

    /// <summary>Why a file or folder could not be created, in a few words (the path is in the caller's message).</summary>
    public static string Reason(Exception ex) => ex switch
    {
        UnauthorizedAccessException => "permission denied",
        // ENOENT for an entry being created: a pseudo file system such as /proc, which holds no files of ours.
        FileNotFoundException or DirectoryNotFoundException => "that file system does not take new files",
        _ => ex.Message.TrimEnd('.'),
    };
}
