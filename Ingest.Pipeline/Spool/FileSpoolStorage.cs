using Microsoft.Win32.SafeHandles;

namespace Ingest.Pipeline.Spool;

/// <summary>
/// The real disk: <see cref="RandomAccess"/> writes, <c>fdatasync(2)</c> and directory <c>fsync(2)</c> on Linux
/// (<see cref="LinuxSync"/>), <see cref="RandomAccess.FlushToDisk"/> elsewhere (where directory sync is a no-op).
/// </summary>
internal sealed class FileSpoolStorage : ISpoolStorage
{
    private readonly string _root;

    public FileSpoolStorage(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The spool directory.</summary>
    public string Root => _root;

    public IReadOnlyList<string> ListFiles()
    {
        var names = new List<string>();
        foreach (var path in Directory.EnumerateFiles(_root))
        {
            names.Add(Path.GetFileName(path));
        }

        return names;
    }

    public bool Exists(string name) => File.Exists(Full(name));

    public ISpoolFile Open(string name, bool create)
    {
        // Owner: the returned file, which disposes the handle.
#pragma warning disable CA2000
        return new FileSpoolFile(File.OpenHandle(Full(name), create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.Read));
#pragma warning restore CA2000
    }

    public void Rename(string from, string to) => File.Move(Full(from), Full(to), overwrite: true);

    public void Delete(string name) => File.Delete(Full(name));

    public void CreateDirectory(string name) => Directory.CreateDirectory(Full(name));

    public void SyncDirectory(string? subdirectory = null)
    {
        if (OperatingSystem.IsLinux())
        {
            LinuxSync.SyncDirectory(subdirectory is null ? _root : Full(subdirectory));
        }
    }

    private string Full(string name)
    {
        if (Path.IsPathRooted(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Spool file names are relative and stay inside the spool: '{name}'.", nameof(name));
        }

        return Path.Combine(_root, name);
    }

    private sealed class FileSpoolFile(SafeFileHandle handle) : ISpoolFile
    {
        public long Length => RandomAccess.GetLength(handle);

        public int Read(Span<byte> buffer, long offset)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer[total..], offset + total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }

        public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(handle, data, offset);

        public void SyncData()
        {
            if (OperatingSystem.IsLinux())
            {
                LinuxSync.DataSync(handle);
            }
            else
            {
                RandomAccess.FlushToDisk(handle);
            }
        }

        public void SetLength(long length) => RandomAccess.SetLength(handle, length);

        public void Dispose() => handle.Dispose();
    }
}
