using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// Produces one stream's notifications for one virtual tracker: when frame k is due on the tracker's crystal, and
/// its bytes. Signal state moves forward only; frames are asked for in order (a frame may be skipped while the
/// tracker is disconnected: its samples are then lost, as on a real link). Not thread-safe; allocation-free per frame.
/// </summary>
internal abstract class StreamSimulator
{
    protected StreamSimulator(StreamDefinition stream, GarbageKind garbage)
    {
        Stream = stream;
        Characteristic = Guid.Parse(stream.Characteristic);
        Garbage = garbage;
    }

    public StreamDefinition Stream { get; }

    public Guid Characteristic { get; }

    public GarbageKind Garbage { get; }

    /// <summary>The crystal tick at which frame <paramref name="frame"/> is sent (its last sample's).</summary>
    public abstract long FrameTick(long frame);

    /// <summary>Writes frame <paramref name="frame"/> (at <paramref name="tick"/>); returns its length, or 0 when there is nothing to send.</summary>
    public abstract int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker);

    /// <summary>
    /// Writes a garbage frame derived from <paramref name="valid"/>: <paramref name="wrongType"/> false gives the wrong
    /// length (cut to its first byte, or doubled when it is one byte long), true the wrong type per <see cref="Garbage"/>.
    /// </summary>
    public int WriteGarbage(Span<byte> destination, ReadOnlySpan<byte> valid, bool wrongType)
    {
        if (!wrongType || Garbage == GarbageKind.AppendByte)
        {
            if (wrongType || valid.Length == 1)
            {
                valid.CopyTo(destination);
                destination[valid.Length] = valid[^1];
                return valid.Length + 1;
            }

            destination[0] = valid[0];
            return 1;
        }

        valid.CopyTo(destination);
        switch (Garbage)
        {
            case GarbageKind.ReservedFlag:
                destination[0] |= 0x80;
                break;
            case GarbageKind.PmdMeasurement:
                destination[0] = (byte)(PmdFrameHeader.MeasurementType(valid) == (int)PmdMeasurementType.Ecg
                    ? PmdMeasurementType.Acc
                    : PmdMeasurementType.Ecg);
                break;
            default:
                destination[0] = 0xFF;
                break;
        }

        return valid.Length;
    }

    /// <summary>The tick of sample <paramref name="sample"/> at <paramref name="rateHz"/>, counted from <paramref name="phase"/>.</summary>
    protected static long SampleTick(long phase, long sample, int rateHz) => phase + (sample * Decoding.SampleClock.NanosecondsPerSecond / rateHz);

    /// <summary>Seconds since the tracker started at <paramref name="tick"/>.</summary>
    protected static double Seconds(long tick) => tick / 1e9;
}
