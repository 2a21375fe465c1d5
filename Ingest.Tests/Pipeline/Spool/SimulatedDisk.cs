using Ingest.Pipeline.Spool;

namespace Ingest.Tests.Pipeline.Spool;

/// <summary>
/// An in-memory <see cref="ISpoolStorage"/> that knows what is durable: file data becomes durable at a successful
/// <c>SyncData</c>, names (create, rename, delete) at <c>SyncDirectory</c>. <see cref="Crash"/> returns the disk a
/// power cut would leave: everything unsynced is discarded, or (torn) a random part of it survives, possibly cut
/// mid-write, the way SQLite's crash VFS (test6.c) does. It can also fail a sync (and, as Linux does, forget the
/// failed pages), run out of space, and lose power at the N-th operation.
/// </summary>
internal sealed class SimulatedDisk : ISpoolStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Inode> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Inode> _durableNames = new(StringComparer.Ordinal);
    private readonly List<DirectoryOp> _unsyncedDirectoryOps = [];
    private long _operations;

    /// <summary>Mutating operations before the power is cut (that operation and all later ones fail); null = never.</summary>
    public long? PowerCutAfterOperations { get; set; }

    /// <summary>Whether the power has been cut.</summary>
    public bool PoweredOff { get; private set; }

    /// <summary>Fails the next N data syncs with EIO.</summary>
    public int FailDataSyncs { get; set; }

    /// <summary>Total bytes the disk holds; a write past it fails with ENOSPC.</summary>
    public long? CapacityBytes { get; set; }

    public long DataSyncCalls { get; private set; }

    public long DirectorySyncCalls { get; private set; }

    public long BytesWritten { get; private set; }

    public IReadOnlyList<string> ListFiles()
    {
        lock (_gate)
        {
            var list = new List<string>();
            foreach (var name in _names.Keys)
            {
                if (!name.Contains('/', StringComparison.Ordinal))
                {
                    list.Add(name);
                }
            }

            return list;
        }
    }

    public IReadOnlyList<string> AllNames()
    {
        lock (_gate)
        {
            return [.. _names.Keys];
        }
    }

    public bool Exists(string name)
    {
        lock (_gate)
        {
            return _names.ContainsKey(name);
        }
    }

    public ISpoolFile Open(string name, bool create)
    {
        lock (_gate)
        {
            if (_names.TryGetValue(name, out var inode))
            {
                return new SimulatedFile(this, inode);
            }

            if (!create)
            {
                throw new FileNotFoundException(name);
            }

            Step();
            inode = new Inode();
            _names[name] = inode;
            _unsyncedDirectoryOps.Add(new DirectoryOp(DirectoryOf(name), name, null, inode));
            return new SimulatedFile(this, inode);
        }
    }

    public void Rename(string from, string to)
    {
        lock (_gate)
        {
            Step();
            if (!_names.Remove(from, out var inode))
            {
                throw new FileNotFoundException(from);
            }

            _names[to] = inode;
            _unsyncedDirectoryOps.Add(new DirectoryOp(DirectoryOf(from), from, null, null));
            _unsyncedDirectoryOps.Add(new DirectoryOp(DirectoryOf(to), to, null, inode));
        }
    }

    public void Delete(string name)
    {
        lock (_gate)
        {
            Step();
            if (_names.Remove(name))
            {
                _unsyncedDirectoryOps.Add(new DirectoryOp(DirectoryOf(name), name, null, null));
            }
        }
    }

    public void CreateDirectory(string name)
    {
    }

    public void SyncDirectory(string? subdirectory = null)
    {
        lock (_gate)
        {
            Step();
            DirectorySyncCalls++;
            var directory = subdirectory ?? "";
            foreach (var key in _durableNames.Keys.ToList())
            {
                if (DirectoryOf(key) == directory)
                {
                    _durableNames.Remove(key);
                }
            }

            foreach (var (key, inode) in _names)
            {
                if (DirectoryOf(key) == directory)
                {
                    _durableNames[key] = inode;
                }
            }

            _unsyncedDirectoryOps.RemoveAll(op => op.Directory == directory);
        }
    }

    /// <summary>The current (page-cache) bytes of a file.</summary>
    public byte[] ReadAll(string name)
    {
        lock (_gate)
        {
            var inode = _names[name];
            return inode.Current.AsSpan(0, inode.Length).ToArray();
        }
    }

    /// <summary>Replaces a file's bytes, durably (test set-up: a disk as some earlier failure left it).</summary>
    public void WriteDurably(string name, byte[] bytes)
    {
        lock (_gate)
        {
            if (!_names.TryGetValue(name, out var inode))
            {
                inode = new Inode();
                _names[name] = inode;
            }

            _durableNames[name] = inode;
            inode.Current = [.. bytes];
            inode.Length = bytes.Length;
            inode.Durable = [.. bytes];
            inode.Unsynced.Clear();
        }
    }

    public void DeleteDurably(string name)
    {
        lock (_gate)
        {
            _names.Remove(name);
            _durableNames.Remove(name);
        }
    }

    /// <summary>The disk after a power cut: durable state, plus (when <paramref name="tear"/>) a random part of the rest.</summary>
    public SimulatedDisk Crash(Random random, bool tear)
    {
        lock (_gate)
        {
            var disk = new SimulatedDisk();
            var clones = new Dictionary<Inode, Inode>();
            Inode Clone(Inode inode)
            {
                if (!clones.TryGetValue(inode, out var clone))
                {
                    clone = new Inode { Current = [.. inode.Durable], Length = inode.Durable.Length };
                    if (tear)
                    {
                        foreach (var write in inode.Unsynced)
                        {
                            if (random.Next(3) == 0)
                            {
                                continue;
                            }

                            if (random.Next(2) == 0)
                            {
                                // The device wrote 512-byte sectors in its own order: any of them may be missing.
                                for (var sector = 0; sector < write.Bytes.Length; sector += 512)
                                {
                                    if (random.Next(2) == 0)
                                    {
                                        clone.WriteAt(write.Bytes.AsSpan(sector, Math.Min(512, write.Bytes.Length - sector)), write.Offset + sector);
                                    }
                                }

                                continue;
                            }

                            var keep = random.Next(2) == 0 ? write.Bytes.Length : random.Next(write.Bytes.Length + 1);
                            var bytes = write.Bytes.AsSpan(0, keep).ToArray();
                            if (random.Next(4) == 0 && bytes.Length > 0)
                            {
                                bytes[random.Next(bytes.Length)] ^= (byte)(1 + random.Next(255)); // a garbled sector
                            }

                            clone.WriteAt(bytes, write.Offset);
                        }
                    }

                    clone.Durable = clone.Current.AsSpan(0, clone.Length).ToArray();
                    clones[inode] = clone;
                }

                return clone;
            }

            foreach (var (name, inode) in _durableNames)
            {
                disk._names[name] = Clone(inode);
            }

            if (tear)
            {
                var keep = random.Next(_unsyncedDirectoryOps.Count + 1);
                for (var i = 0; i < keep; i++)
                {
                    var op = _unsyncedDirectoryOps[i];
                    if (op.Inode is null)
                    {
                        disk._names.Remove(op.Name);
                    }
                    else
                    {
                        disk._names[op.Name] = Clone(op.Inode);
                    }
                }
            }

            foreach (var (name, inode) in disk._names)
            {
                disk._durableNames[name] = inode;
            }

            return disk;
        }
    }

    private void Step()
    {
        if (PoweredOff)
        {
            throw new IOException("Simulated power loss.");
        }

        _operations++;
        if (PowerCutAfterOperations is { } limit && _operations > limit)
        {
            PoweredOff = true;
            throw new IOException("Simulated power loss.");
        }
    }

    private static string DirectoryOf(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? "" : name[..slash];
    }

    private long TotalBytes()
    {
        long total = 0;
        foreach (var inode in _names.Values.Distinct())
        {
            total += inode.Length;
        }

        return total;
    }

    private sealed record DirectoryOp(string Directory, string Name, string? Unused, Inode? Inode);

    private sealed class Inode
    {
        public byte[] Current { get; set; } = [];

        public int Length { get; set; }

        public byte[] Durable { get; set; } = [];

        public List<(long Offset, byte[] Bytes)> Unsynced { get; } = [];

        /// <summary>Ranges whose failed sync made the kernel drop them: never durable, though still readable.</summary>
        public List<(long Offset, byte[] Bytes)> Lost { get; } = [];

        public void WriteAt(ReadOnlySpan<byte> data, long offset)
        {
            var end = checked((int)offset + data.Length);
            if (end > Current.Length)
            {
                var grown = new byte[Math.Max(end, Current.Length * 2)];
                Current.AsSpan(0, Length).CopyTo(grown);
                Current = grown;
            }

            if (offset > Length)
            {
                Current.AsSpan(Length, (int)offset - Length).Clear();
            }

            data.CopyTo(Current.AsSpan((int)offset));
            Length = Math.Max(Length, end);
        }
    }

    private sealed class SimulatedFile(SimulatedDisk disk, Inode inode) : ISpoolFile
    {
        private bool _disposed;

        public long Length
        {
            get
            {
                lock (disk._gate)
                {
                    return inode.Length;
                }
            }
        }

        public int Read(Span<byte> buffer, long offset)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (disk._gate)
            {
                if (offset >= inode.Length)
                {
                    return 0;
                }

                var n = (int)Math.Min(buffer.Length, inode.Length - offset);
                inode.Current.AsSpan((int)offset, n).CopyTo(buffer);
                return n;
            }
        }

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (disk._gate)
            {
                disk.Step();
                var growth = Math.Max(0, offset + data.Length - inode.Length);
                if (disk.CapacityBytes is { } capacity && disk.TotalBytes() + growth > capacity)
                {
                    throw new IOException("No space left on device (simulated ENOSPC).", 28);
                }

                inode.WriteAt(data, offset);
                inode.Unsynced.Add((offset, data.ToArray()));
                disk.BytesWritten += data.Length;
            }
        }

        public void SyncData()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (disk._gate)
            {
                disk.Step();
                disk.DataSyncCalls++;
                if (disk.FailDataSyncs > 0)
                {
                    disk.FailDataSyncs--;
                    // Linux after EIO: the dirty pages are marked clean, so a later fsync "succeeds" without them.
                    inode.Lost.AddRange(inode.Unsynced);
                    inode.Unsynced.Clear();
                    throw new IOException("Input/output error (simulated EIO on fdatasync).", 5);
                }

                var durable = inode.Current.AsSpan(0, inode.Length).ToArray();
                foreach (var (offset, bytes) in inode.Lost)
                {
                    var n = (int)Math.Max(0, Math.Min(bytes.Length, Math.Min(inode.Durable.Length, durable.Length) - offset));
                    if (n > 0)
                    {
                        inode.Durable.AsSpan((int)offset, n).CopyTo(durable.AsSpan((int)offset));
                    }
                }

                inode.Durable = durable;
                inode.Unsynced.Clear();
            }
        }

        public void SetLength(long length)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (disk._gate)
            {
                disk.Step();
                if (length < inode.Length)
                {
                    inode.Current.AsSpan((int)length, inode.Length - (int)length).Clear();
                    inode.Length = (int)length;
                }
                else
                {
                    inode.WriteAt(new byte[length - inode.Length], inode.Length);
                }

                // A length change is durable only with the next sync; a crash before it keeps the durable bytes.
            }
        }

        public void Dispose() => _disposed = true;
    }
}
