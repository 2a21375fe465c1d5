using Ingest.Pipeline.Spool;

namespace Ingest.Pipeline.Service;

/// <summary>Whole-file writes that a crash leaves either complete or absent (never torn), on Linux.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class DurableFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/>: a temporary file beside it, fdatasync, rename over the
    /// target, fsync of the folder (so the rename itself survives a power cut).
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(bytes);
            LinuxSync.DataSync(file.SafeFileHandle);
        }

        File.Move(temporary, path, overwrite: true);
        LinuxSync.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
