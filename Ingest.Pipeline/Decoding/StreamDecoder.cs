using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding;

/// <summary>
/// Decodes one (device, stream)'s notifications into its open batch: checks the frame against
/// <see cref="DecodeLimits"/>, runs the decoder, commits whole rows or rolls a rejected frame back, counts,
/// and hands rejected frames (with their raw bytes) to the quarantine. A bad frame never disturbs the rows
/// before or after it. Not thread-safe: one decode loop owns it.
/// </summary>
public sealed class StreamDecoder
{
    private readonly IFrameDecoder _decoder;
    private readonly IRejectedFrameSink? _quarantine;

    /// <summary>Creates a stream decoder writing into fresh columns of <paramref name="initialRows"/> capacity.</summary>
    public StreamDecoder(IFrameDecoder decoder, IRejectedFrameSink? quarantine = null, int initialRows = 256)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        _decoder = decoder;
        _quarantine = quarantine;
        Columns = new StreamColumns(decoder.Schema, initialRows);
    }

    /// <summary>The open batch.</summary>
    public StreamColumns Columns { get; private set; }

    /// <summary>The stream's schema.</summary>
    public StreamSchema Schema => _decoder.Schema;

    /// <summary>Totals so far.</summary>
    public DecodeCounters Counters { get; } = new();

    /// <summary>Decodes one notification received at <paramref name="hubTimeNs"/>.</summary>
    public FrameResult Decode(ReadOnlySpan<byte> frame, long hubTimeNs)
    {
        DecodeOutcome outcome;
        if (frame.Length > DecodeLimits.MaxFrameBytes)
        {
            outcome = DecodeOutcome.Reject(RejectReason.Oversized,
                $"notification is {frame.Length} bytes; no BLE attribute value exceeds {DecodeLimits.MaxFrameBytes}");
        }
        else if (frame.IsEmpty)
        {
            outcome = DecodeOutcome.Reject(RejectReason.Empty, "empty notification");
        }
        else
        {
            try
            {
                outcome = _decoder.Decode(frame, hubTimeNs, Columns);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Decoders must not throw (fuzz tests hold them to it); if one does, keep the frame as evidence.
                outcome = DecodeOutcome.Reject(RejectReason.DecoderFault, $"decoder threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        if (outcome.IsAccepted)
        {
            if (Columns.TryCommit(out var rows))
            {
                Counters.CountAccepted(rows);
                return new FrameResult(RejectReason.None, rows, null);
            }

            outcome = DecodeOutcome.Reject(RejectReason.DecoderFault, "decoder appended rows of unequal length across columns");
        }
        else
        {
            Columns.Rollback();
        }

        return Reject(frame, hubTimeNs, outcome);
    }

    /// <summary>
    /// Hands the open batch to the caller (to seal) and continues in <paramref name="next"/>, an empty set of
    /// columns of the same schema (typically the one sealed before, recycled).
    /// </summary>
    public StreamColumns SwapColumns(StreamColumns next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (!ReferenceEquals(next.Schema, Schema) || next.RowCount != 0)
        {
            throw new ArgumentException("the replacement columns must be empty and of this stream's schema", nameof(next));
        }

        var sealedColumns = Columns;
        Columns = next;
        return sealedColumns;
    }

    /// <summary>Forgets cross-frame decoder state (after a reconnect).</summary>
    public void Reset() => _decoder.Reset();

    private FrameResult Reject(ReadOnlySpan<byte> frame, long hubTimeNs, DecodeOutcome outcome)
    {
        Counters.CountRejected(outcome.Reason);
        var detail = outcome.Detail ?? outcome.Reason.ToString();
        _quarantine?.Add(new RejectedFrame(hubTimeNs, outcome.Reason, detail,
            frame[..Math.Min(frame.Length, DecodeLimits.MaxFrameBytes)].ToArray(), frame.Length));
        return new FrameResult(outcome.Reason, 0, detail);
    }
}
