using System.Diagnostics;
using System.Globalization;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Spool;

namespace Ingest.Bench.Spool;

/// <summary>
/// Issue 9's SD-card figures for the spool on the real disk, in one run:
/// <list type="bullet">
/// <item>reference: 64 KiB sequential writes, each followed by fdatasync (the same P/Invoke the spool uses);</item>
/// <item>durable MB/s: unpaced appends from 16 concurrent appenders, each record released as soon as it is durable;</item>
/// <item>paced: 200 records/s of 4 KiB, each released about 1 s after it is durable (a PUBACK), after a warm-up long
/// enough that released segments are being recycled; disk bytes per payload byte from <c>/proc/self/io</c>
/// <c>write_bytes</c> (what this process sent to the block layer: data, not the file system's journal) and from the
/// device's <c>/sys/dev/block/M:m/stat</c> sectors written (everything, journal included, but also other processes).</item>
/// </list>
/// </summary>
internal static class SpoolWriteHarness
{
    private const string Usage = "usage: spool-write [--dir PATH] [--seconds N] [--warmup N] [--rate N] [--size BYTES] [--commit-ms N] [--commit-bytes N] [--segment-mib N]";

    public static async Task<int> RunAsync(string[] args)
    {
        var dir = Path.Combine(Path.GetTempPath(), "spool-write-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        int seconds = 30, warmup = 15, rate = 200, size = 4096, commitMs = 100, commitBytes = 64 * 1024, segmentMib = 4;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--dir": dir = value; break;
                case "--seconds": seconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": rate = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--size": size = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--commit-ms": commitMs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--commit-bytes": commitBytes = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--segment-mib": segmentMib = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        try
        {
            var reference = Reference(dir, 3);
            var options = new SpoolOptions
            {
                Directory = Path.Combine(dir, "spool"),
                SegmentBytes = segmentMib * 1024L * 1024,
                MaxTotalBytes = 64L * segmentMib * 1024 * 1024,
                CommitBytes = commitBytes,
                CommitWindow = TimeSpan.FromMilliseconds(commitMs),
            };
            var durable = await UnpacedAsync(options, size, 3).ConfigureAwait(false);
            Directory.Delete(options.Directory, recursive: true);
            var paced = await PacedAsync(options, rate, size, warmup, seconds).ConfigureAwait(false);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reference: 64 KiB write + fdatasync, sequential: {reference:F1} MB/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spool unpaced, {size} B records, 16 appenders, commit {commitBytes} B / {commitMs} ms: {durable:F1} MB/s durable ({100 * durable / reference:F0} % of reference)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spool paced {rate}/s x {size} B, {seconds} s after {warmup} s warm-up, segments {segmentMib} MiB:"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  payload {paced.Payload / 1e6:F2} MB, process write_bytes {paced.ProcessBytes / 1e6:F2} MB = {paced.ProcessBytes / paced.Payload:F3} per payload byte"));
            Console.WriteLine(paced.DeviceBytes is { } device
                ? string.Create(CultureInfo.InvariantCulture, $"  device sectors written {device / 1e6:F2} MB = {device / paced.Payload:F3} per payload byte (whole device: other processes included)")
                : "  device counters unavailable");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  commit p50 {paced.P50:F1} ms, p99 {paced.P99:F1} ms; groups {paced.Stats.CommitGroups}, data syncs {paced.Stats.DataSyncs}, directory syncs {paced.Stats.DirectorySyncs}, checkpoints {paced.Stats.Checkpoints}, recycled {paced.Stats.SegmentsRecycled}, deleted {paced.Stats.SegmentsDeleted}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Reference(string dir, int seconds)
    {
        var (bytes, elapsed) = DiskCounters.WriteAndSync(dir, long.MaxValue, TimeSpan.FromSeconds(seconds));
        return bytes / elapsed.TotalSeconds / 1e6;
    }

    private static async Task<double> UnpacedAsync(SpoolOptions options, int size, int seconds)
    {
        await using var spool = SegmentSpool.Open(options);
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        var appenders = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            long sequence = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var position = await spool.AppendAsync(new BatchIdentity("hub", "s" + w.ToString(CultureInfo.InvariantCulture), sequence++), 100, payload).ConfigureAwait(false);
                spool.Release(position, SpoolReleaseMode.PublishAcknowledged);
                Interlocked.Add(ref bytes, size);
            }
        })).ToArray();
        await Task.WhenAll(appenders).ConfigureAwait(false);
        return bytes / clock.Elapsed.TotalSeconds / 1e6;
    }

    private sealed record PacedResult(double Payload, double ProcessBytes, double? DeviceBytes, double P50, double P99, SpoolStatistics Stats);

    private static async Task<PacedResult> PacedAsync(SpoolOptions options, int rate, int size, int warmup, int seconds)
    {
        await using var spool = SegmentSpool.Open(options);
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var releases = new System.Collections.Concurrent.ConcurrentQueue<(long Due, SpoolPosition Position)>();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var inFlight = new List<Task>();
        long sent = 0;
        long measuredPayload = 0;
        var measuring = false;
        long processStart = 0;
        long? deviceStart = null;
        var device = DiskCounters.DeviceStatPath(options.Directory);
        var clock = Stopwatch.StartNew();
        var total = warmup + seconds;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (clock.Elapsed.TotalSeconds < total && await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            var now = clock.Elapsed.TotalSeconds;
            if (!measuring && now >= warmup)
            {
                measuring = true;
                processStart = DiskCounters.ProcessWriteBytes();
                deviceStart = DiskCounters.DeviceWriteBytes(device);
            }

            while (sent < (long)(now * rate))
            {
                var sequence = sent++;
                var started = clock.Elapsed.TotalMilliseconds;
                var countIt = measuring;
                inFlight.Add(Task.Run(async () =>
                {
                    var position = await spool.AppendAsync(new BatchIdentity("hub", "stream", sequence), 100, payload).ConfigureAwait(false);
                    latencies.Add(clock.Elapsed.TotalMilliseconds - started);
                    releases.Enqueue((clock.ElapsedMilliseconds + 1000, position));
                    if (countIt)
                    {
                        Interlocked.Add(ref measuredPayload, size);
                    }
                }));
            }

            while (releases.TryPeek(out var head) && head.Due <= clock.ElapsedMilliseconds && releases.TryDequeue(out head))
            {
                spool.Release(head.Position, SpoolReleaseMode.PublishAcknowledged);
            }

            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var processBytes = DiskCounters.ProcessWriteBytes() - processStart;
        var deviceEnd = DiskCounters.DeviceWriteBytes(device);
        var sorted = latencies.Order().ToArray();
        return new PacedResult(
            measuredPayload,
            processBytes,
            deviceStart is { } d && deviceEnd is { } e ? e - d : null,
            sorted.Length > 0 ? sorted[sorted.Length / 2] : 0,
            sorted.Length > 0 ? sorted[(int)(sorted.Length * 0.99)] : 0,
            spool.Statistics);
    }
}
