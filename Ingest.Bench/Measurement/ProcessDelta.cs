using System.Diagnostics;
using System.Runtime;

namespace Ingest.Bench.Measurement;

/// <summary>
/// What this process spent between two <see cref="ProcessSample"/>s: wall time, CPU time of all its threads
/// (<see cref="Environment.CpuUsage"/>), time the JIT spent compiling (its own wall-clock count), bytes allocated on the
/// managed heap (precise) and garbage collections by generation. Shared by the harnesses that report CPU and allocation.
/// </summary>
internal readonly record struct ProcessDelta(TimeSpan Wall, double CpuMicroseconds, double JitMicroseconds, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    /// <summary>The part of <see cref="CpuMicroseconds"/> spent in the kernel (system calls: socket sends, writes, fdatasync).</summary>
    public double KernelMicroseconds { get; init; }

    /// <summary>Collects garbage first (so a collection owed by earlier work does not land in the window), then measures <paramref name="work"/>.</summary>
    public static async Task<ProcessDelta> MeasureAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var start = ProcessSample.Take();
        await work().ConfigureAwait(false);
        return ProcessSample.Take().Since(start);
    }
}

/// <summary>A point-in-time reading of this process's counters; subtract two with <see cref="Since"/>.</summary>
internal readonly record struct ProcessSample(long Timestamp, TimeSpan Cpu, TimeSpan Kernel, TimeSpan Jit, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    public static ProcessSample Take() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, Environment.CpuUsage.PrivilegedTime, JitInfo.GetCompilationTime(),
        GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public ProcessDelta Since(ProcessSample start) => new(
        Stopwatch.GetElapsedTime(start.Timestamp, Timestamp),
        (Cpu - start.Cpu).TotalMicroseconds,
        (Jit - start.Jit).TotalMicroseconds,
        AllocatedBytes - start.AllocatedBytes,
        Gen0 - start.Gen0,
        Gen1 - start.Gen1,
        Gen2 - start.Gen2)
    {
        KernelMicroseconds = (Kernel - start.Kernel).TotalMicroseconds,
    };
}
