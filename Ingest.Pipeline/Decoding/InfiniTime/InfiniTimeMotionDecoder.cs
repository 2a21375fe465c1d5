using System.Buffers.Binary;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.InfiniTime;

/// <summary>
/// InfiniTime raw motion values, characteristic <c>00030002-78fc-48fe-8e23-433b3a1942d0</c> (protocols.md §4.9,
/// InfiniTime <c>MotionService.cpp</c>): exactly 3 × int16 LE x, y, z with 1 g = 1024. Stored raw; the columns'
/// scale 1000/1024 = 0.9765625 (exact in binary) gives milli-g. The watch samples at its 100 ms system tick and
/// notifies only on change, with no timestamp: one row per notification at the receive time.
/// </summary>
public sealed class InfiniTimeMotionDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "infinitime-motion";

    /// <summary>Notification length: three int16.</summary>
    public const int FrameSize = 6;

    /// <summary>Milli-g per count: the watch reports 1024 counts per g.</summary>
    public const double MilliGPerCount = 1000.0 / 1024.0;

    private static readonly StreamSchema s_schema = new(
    [
        new ColumnSpec { Name = "x", Kind = ColumnKind.Int16, Unit = "mg", Scale = MilliGPerCount, Description = "acceleration, x axis (1024 per g)" },
        new ColumnSpec { Name = "y", Kind = ColumnKind.Int16, Unit = "mg", Scale = MilliGPerCount, Description = "acceleration, y axis (1024 per g)" },
        new ColumnSpec { Name = "z", Kind = ColumnKind.Int16, Unit = "mg", Scale = MilliGPerCount, Description = "acceleration, z axis (1024 per g)" },
    ], hasDeviceTime: false);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "InfiniTime (PineTime) raw motion: x, y, z int16, 1024 per g", [],
        static settings =>
        {
            settings.RejectUnknown();
            return new InfiniTimeMotionDecoder();
        });

    /// <inheritdoc />
    public StreamSchema Schema => s_schema;

    /// <inheritdoc />
    public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (frame.Length != FrameSize)
        {
            return frame.Length < FrameSize
                ? DecodeOutcome.Truncated("motion x, y, z (3 × int16)", FrameSize, frame.Length)
                : DecodeOutcome.Reject(RejectReason.TrailingBytes, $"motion values are {FrameSize} bytes; notification has {frame.Length}");
        }

        columns.HubTime.Append(hubTimeNs);
        columns.Values<short>(0).Append(BinaryPrimitives.ReadInt16LittleEndian(frame));
        columns.Values<short>(1).Append(BinaryPrimitives.ReadInt16LittleEndian(frame[2..]));
        columns.Values<short>(2).Append(BinaryPrimitives.ReadInt16LittleEndian(frame[4..]));
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }
}
