using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Where rejected notifications and unreadable capture lines go, apart from the rows (stderr or a file of their own),
/// so a row output is only data.
/// </summary>
public interface IRejectionOutput
{
    /// <summary>Reports a notification from capture line <paramref name="lineNumber"/> that the decoder rejected.</summary>
    void WriteRejected(int lineNumber, RejectReason reason, string detail, ReadOnlySpan<byte> frame);

    /// <summary>Reports capture line <paramref name="lineNumber"/>, which was not readable as a notification.</summary>
    void WriteUnreadable(int lineNumber, string problem);
}
