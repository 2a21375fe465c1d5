namespace Ingest.Pipeline.Captures;

/// <summary>
/// A capture that cannot be read as text at all (binary bytes): the whole capture is refused, unlike a bad line, which
/// is reported and skipped. The message starts with what the file is ("is binary, …"), to follow the file's name.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CaptureFormatException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public CaptureFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
