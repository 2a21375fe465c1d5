using System.Diagnostics;
using System.Globalization;
using Ingest.Pipeline.Spool;

namespace Ingest.Bench.Spool;

/// <summary>
/// The disk side of the spool figures, shared by the harnesses: the fsync'd sequential write reference and the counters
/// of bytes written (<c>/proc/self/io</c> <c>write_bytes</c>: what this process sent to the block layer, data only; the
/// device's <c>/sys/dev/block/M:m/stat</c> sectors written: everything, journal included, but other processes too).
/// </summary>
internal static class DiskCounters
{
    /// <summary>Chunk of the per-chunk-synced reference: the spool's default commit size.</summary>
    public const int ReferenceChunkBytes = SpoolOptions.DefaultCommitBytes;

    /// <summary>Chunk of the streaming reference (as <c>dd bs=1M conv=fdatasync</c>).</summary>
    public const int StreamingChunkBytes = 1024 * 1024;

    /// <summary>
    /// The disk's fsync'd sequential write rate: <paramref name="chunkBytes"/> writes to a new file in
    /// <paramref name="directory"/>, each followed by fdatasync (the same P/Invoke the spool uses) when
    /// <paramref name="syncEachChunk"/>, else one fdatasync at the end (as <c>dd conv=fdatasync</c>), until
    /// <paramref name="bytes"/> are written or <paramref name="limit"/> has passed. The file is deleted afterwards.
    /// </summary>
    public static (long Bytes, TimeSpan Elapsed) WriteAndSync(string directory, long bytes, TimeSpan limit, int chunkBytes = ReferenceChunkBytes, bool syncEachChunk = true)
    {
        var storage = new FileSpoolStorage(directory);
        const string Name = "fsync-reference.bin";
        try
        {
            using var file = storage.Open(Name, create: true);
            var chunk = new byte[chunkBytes];
            Random.Shared.NextBytes(chunk);
            long offset = 0;
            var clock = Stopwatch.StartNew();
            while (offset < bytes && clock.Elapsed < limit)
            {
                file.Write(chunk, offset);
                if (syncEachChunk)
                {
                    file.SyncData();
                }

                offset += chunk.Length;
            }

            file.SyncData();
            return (offset, clock.Elapsed);
        }
        finally
        {
            File.Delete(Path.Combine(directory, Name));
        }
    }

    /// <summary>This process's <c>write_bytes</c> so far.</summary>
    public static long ProcessWriteBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/io"))
        {
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(12).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>The block device holding <paramref name="path"/>, from the longest matching mount in /proc/self/mountinfo.</summary>
    public static string? DeviceStatPath(string path)
    {
        string? best = null;
        var bestLength = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && path.StartsWith(fields[4], StringComparison.Ordinal) && fields[4].Length > bestLength)
            {
                bestLength = fields[4].Length;
                best = fields[2];
            }
        }

        var stat = best is null ? null : $"/sys/dev/block/{best}/stat";
        return stat is not null && File.Exists(stat) ? stat : null;
    }

    /// <summary>Bytes written to the device of <paramref name="stat"/> so far, or null when unknown.</summary>
    public static long? DeviceWriteBytes(string? stat)
    {
        if (stat is null)
        {
            return null;
        }

        var fields = File.ReadAllText(stat).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[6], CultureInfo.InvariantCulture) * 512; // Documentation/block/stat.rst: write sectors
    }
}
