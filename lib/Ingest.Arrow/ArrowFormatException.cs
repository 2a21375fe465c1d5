namespace Ingest.Arrow;

/// <summary>
/// Thrown when Arrow IPC input is malformed, truncated, exceeds an <see cref="ArrowLimits"/> limit or uses
/// a feature this library does not implement (compression, big-endian, legacy framing, …). It is the only
/// exception the readers throw for bad input.
/// </summary>
public sealed class ArrowFormatException : Exception
{
    /// <summary>Creates an exception with a message and no offset.</summary>
    public ArrowFormatException()
        : this("malformed Arrow IPC input", -1)
    {
    }

    /// <summary>Creates an exception with a message and no offset.</summary>
    /// <param name="message">What is wrong.</param>
    public ArrowFormatException(string message)
        : this(message, -1)
    {
    }

    /// <summary>Creates an exception that wraps another one.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ArrowFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates an exception with a message and the input offset where the problem was found.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="offset">Byte offset in the input (or -1 when unknown).</param>
    public ArrowFormatException(string message, long offset)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the input where the problem was found, or -1 when unknown.</summary>
    public long Offset { get; }
}
