using System.Buffers.Binary;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// The 10-byte header of a PMD DATA notification (protocols.md §4.8, polar-ble-sdk <c>PmdDataFrame.kt</c>):
/// byte 0 measurement type (the SDK masks it with 0x3F), bytes 1–8 the sensor timestamp u64 LE (ns since
/// 2000-01-01 in the sensor's clock; the time of the frame's last sample), byte 9 the frame type (bit 7 set =
/// delta-compressed, bits 0–6 the type number). Samples follow.
/// </summary>
public static class PmdFrameHeader
{
    /// <summary>Header length in bytes.</summary>
    public const int Size = 10;

    /// <summary>Bits of byte 0 that carry the measurement type (the SDK's <c>fromId</c> mask).</summary>
    public const byte MeasurementTypeMask = 0x3F;

    /// <summary>Bit 7 of the frame-type byte: the samples are delta-compressed.</summary>
    public const byte CompressedBit = 0x80;

    /// <summary>Bits 0–6 of the frame-type byte: the frame type number.</summary>
    public const byte FrameTypeMask = 0x7F;

    /// <summary>Offset of the timestamp.</summary>
    public const int TimestampOffset = 1;

    /// <summary>Offset of the frame-type byte.</summary>
    public const int FrameTypeOffset = 9;

    /// <summary>
    /// Largest sensor timestamp that still converts to Unix-epoch ns in an int64 (about the year 2262);
    /// anything above is not a clock reading.
    /// </summary>
    public const ulong MaxTimestamp = (ulong)(long.MaxValue - Decoding.SampleClock.UnixToY2000Ns);

    /// <summary>The measurement type of a frame (byte 0 masked with <see cref="MeasurementTypeMask"/>).</summary>
    public static int MeasurementType(ReadOnlySpan<byte> frame) => frame[0] & MeasurementTypeMask;

    /// <summary>The sensor timestamp of a frame (ns since 2000-01-01, sensor clock).</summary>
    public static ulong Timestamp(ReadOnlySpan<byte> frame) =>
        BinaryPrimitives.ReadUInt64LittleEndian(frame.Slice(TimestampOffset, sizeof(ulong)));

    /// <summary>Writes a header into <paramref name="destination"/> (at least <see cref="Size"/> bytes).</summary>
    public static void Write(Span<byte> destination, PmdMeasurementType measurement, ulong timestamp, int frameType, bool compressed)
    {
        destination[0] = (byte)measurement;
        BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(TimestampOffset, sizeof(ulong)), timestamp);
        destination[FrameTypeOffset] = (byte)((frameType & FrameTypeMask) | (compressed ? CompressedBit : 0));
    }
}
