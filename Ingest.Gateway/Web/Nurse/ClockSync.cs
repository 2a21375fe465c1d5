using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ingest.Gateway.Web.Nurse;

/// <summary>
/// Whether the kernel thinks the system clock is synchronised, read with <c>ntp_adjtime(3)</c> in read-only mode
/// (<c>modes = 0</c>: no privileges needed), as <c>timedatectl</c>'s "System clock synchronized" does: the clock is
/// synchronised unless the call returns <c>TIME_ERROR</c> (which includes the <c>STA_UNSYNC</c> status bit that NTP
/// daemons clear once they discipline the clock). Unknown off Linux, on 32-bit processes (another <c>struct timex</c>
/// layout), and when libc lacks the call.
/// </summary>
internal static class ClockSync
{
    /// <summary>ntp_adjtime's answer when the clock is not synchronised (linux/timex.h).</summary>
    private const int TimeError = 5;

    /// <summary>The status bit "clock unsynchronised" (linux/timex.h).</summary>
    private const int StatusUnsync = 0x0040;

    /// <summary>
    /// Bytes handed to the call: glibc's 64-bit <c>struct timex</c> is 208 bytes; room to spare so a larger one in some
    /// libc can never write past the buffer.
    /// </summary>
    private const int BufferBytes = 512;

    // Offsets in the 64-bit struct timex: unsigned modes (4) + padding (4), then long offset, freq, maxerror, esterror,
    // then int status.
    private const int MaxErrorOffset = 24;
    private const int StatusOffset = 40;

    /// <summary>The clock's state now.</summary>
    public static ClockReading Read()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8 || !BitConverter.IsLittleEndian)
        {
            return new ClockReading(null, null, "this system does not say (only 64-bit Linux is read)");
        }

        var buffer = new byte[BufferBytes];
        int state;
        try
        {
            state = NtpAdjtime(buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return new ClockReading(null, null, "the C library has no ntp_adjtime");
        }

        if (state < 0)
        {
            return new ClockReading(null, null, $"ntp_adjtime failed ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");
        }

        var status = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(StatusOffset));
        var maxErrorMicroseconds = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(MaxErrorOffset));
        var synchronised = state != TimeError && (status & StatusUnsync) == 0;
        return new ClockReading(synchronised, synchronised ? maxErrorMicroseconds : null, null);
    }

    // DllImport rather than LibraryImport: the generated stubs would need AllowUnsafeBlocks for the whole project (as LinuxSync).
    [DllImport("libc", EntryPoint = "ntp_adjtime", SetLastError = true)]
    private static extern int NtpAdjtime([In, Out] byte[] timex);
}

/// <summary>What <see cref="ClockSync.Read"/> found.</summary>
/// <param name="Synchronised">True or false, or null when unknown.</param>
/// <param name="MaxErrorMicroseconds">The kernel's bound on the clock's error (µs) when synchronised.</param>
/// <param name="Unknown">Why it is unknown, or null.</param>
internal sealed record ClockReading(bool? Synchronised, long? MaxErrorMicroseconds, string? Unknown);
