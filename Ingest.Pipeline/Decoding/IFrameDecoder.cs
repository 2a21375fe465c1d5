using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding;

/// <summary>
/// Turns one stream's notifications into rows. One instance per (device, stream): decoders may keep state
/// across frames (cumulative counters, the previous device timestamp). Contract:
/// <list type="bullet">
/// <item>append complete rows to the columns: one value per column per sample, plus
/// <c>hub_time</c> (and <c>device_time</c> when the schema has it) for every sample;</item>
/// <item>never throw on any input: return <see cref="DecodeOutcome.Reject"/>; the caller rolls back partial rows;</item>
/// <item>allocate nothing when accepting a frame.</item>
/// </list>
/// Not thread-safe.
/// </summary>
public interface IFrameDecoder
{
    /// <summary>The columns this decoder writes.</summary>
    StreamSchema Schema { get; }

    /// <summary>Decodes <paramref name="frame"/>, received at <paramref name="hubTimeNs"/> (UTC ns since the Unix epoch).</summary>
    DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns);

    /// <summary>Forgets cross-frame state (after a reconnect, the next frame starts afresh).</summary>
    void Reset();
}
