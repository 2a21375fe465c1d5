using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Ingest.Pipeline.Spool;

/// <summary>
/// <c>fdatasync(2)</c> and directory <c>fsync(2)</c>, which .NET does not expose: <c>Flush(true)</c> is a full
/// <c>fsync</c> (also writes inode times), and a directory cannot be opened through <see cref="File"/>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LinuxSync
{
    // Linux open(2) flags (asm-generic/fcntl.h; the same on x86-64 and arm64).
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // x86 and x86-64
    private const int ODirectoryArm = 0x4000; // arm and arm64
    private const int OCloexec = 0x80000;

    /// <summary>fdatasync: the data and the metadata needed to read it back (e.g. the file length).</summary>
    public static void DataSync(SafeFileHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw Error("fdatasync");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>fsync of a directory: makes file creation, rename and unlink in it durable.</summary>
    public static void SyncDirectory(string path)
    {
        var flags = ORdOnly | OCloexec | (RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? ODirectoryArm : ODirectory);
        var fd = open(path, flags);
        if (fd < 0)
        {
            throw Error("open(directory)");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw Error("fsync(directory)");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    private static IOException Error(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    // DllImport rather than LibraryImport: the generated stubs would need AllowUnsafeBlocks for the whole project.
    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
