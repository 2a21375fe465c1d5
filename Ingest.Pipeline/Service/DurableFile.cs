namespace Ingest.Pipeline.Service;

/// <summary>
/// Writes a file so that after a crash it is either absent or complete: temporary name, fsync, rename, fsync of the
/// folder and of every folder created for it up to <c>root</c> (a rename or new entry is durable only once its directory is).
/// Used by the hub (its ledger, the outbox) and by the receiver (staged batches, Parquet files, its ledger).
/// </summary>
internal static class DurableFile
{
    /// <summary>Writes <paramref name="write"/>'s output to <paramref name="path"/> (inside <paramref name="root"/>) atomically and durably.</summary>
    public static void Write(string root, string path, Action<FileStream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var directory = Path.GetDirectoryName(path) ?? ".";
        var created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(directory);
        if (created)
        {
            var stop = Path.GetFullPath(root);
            for (var parent = Path.GetDirectoryName(Path.GetFullPath(directory)); parent is not null && parent.Length >= stop.Length; parent = Path.GetDirectoryName(parent))
            {
                SyncDirectory(parent);
            }
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically and durably.</summary>
    public static void Write(string root, string path, ReadOnlyMemory<byte> bytes) => Write(root, path, stream => stream.Write(bytes.Span));

    private static void SyncDirectory(string directory)
    {
        // Directory fsync exists on Linux (the hubs and the platform's receivers); elsewhere the rename is the best we have.
        if (OperatingSystem.IsLinux())
        {
            Spool.LinuxSync.SyncDirectory(directory);
        }
    }
}
