using Ingest.Arrow.Ipc;

namespace Ingest.Arrow;

/// <summary>
/// Reads Arrow IPC streams and files held in memory. Every offset, length, count, alignment and depth is
/// validated against the input before use (protocols.md §1.10, following Arrow C++'s strictness), and
/// offsets, null counts and dictionary indices are checked value by value, so the returned arrays can
/// never read outside the input. Any malformed, truncated, compressed, big-endian or legacy-framed input
/// raises <see cref="ArrowFormatException"/> — never another exception, never a hang. Thread-safe.
/// </summary>
public static class ArrowIpcReader
{
    /// <summary>Reads a stream or a file, detected by the leading "ARROW1" magic.</summary>
    /// <param name="data">The whole input; the returned arrays reference it, so keep it unchanged.</param>
    /// <returns>Schema and record batches.</returns>
    /// <exception cref="ArrowFormatException">The input is not valid (supported) Arrow IPC.</exception>
    public static ArrowIpcContent Read(ReadOnlyMemory<byte> data) => IsFile(data.Span) ? ReadFile(data) : ReadStream(data);

    /// <summary>Reads the streaming format.</summary>
    /// <param name="data">The whole stream.</param>
    /// <returns>Schema and record batches.</returns>
    /// <exception cref="ArrowFormatException">The input is not a valid (supported) Arrow IPC stream.</exception>
    public static ArrowIpcContent ReadStream(ReadOnlyMemory<byte> data) => new IpcReader(data, ArrowIpcFormat.Stream).ReadStream();

    /// <summary>Reads the file format, through its footer.</summary>
    /// <param name="data">The whole file.</param>
    /// <returns>Schema and record batches.</returns>
    /// <exception cref="ArrowFormatException">The input is not a valid (supported) Arrow IPC file.</exception>
    public static ArrowIpcContent ReadFile(ReadOnlyMemory<byte> data) => new IpcReader(data, ArrowIpcFormat.File).ReadFile();

    /// <summary>True when <paramref name="data"/> starts with the IPC file magic "ARROW1".</summary>
    /// <param name="data">The first bytes of the input.</param>
    /// <returns>Whether it looks like the file format.</returns>
    public static bool IsFile(ReadOnlySpan<byte> data) => data.StartsWith(Wire.FileMagic);
}
