using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// RSC Measurement 0x2A53 (Running Speed and Cadence Service 0x1814, RSCS 1.0; protocols.md §4.6): one row per
/// notification with instantaneous speed (1/256 m/s), cadence (/min), the optional stride length (1/100 m, flags
/// bit 0) and total distance (1/10 m, bit 1), and the walking/running status (bit 2). RFU bits 3–7, missing
/// fields and trailing bytes are rejected.
/// </summary>
public sealed class RscMeasurementDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "rsc-measurement";

    /// <summary>Flags bit 0: Instantaneous Stride Length present.</summary>
    public const byte StrideLengthFlag = 0x01;

    /// <summary>Flags bit 1: Total Distance present.</summary>
    public const byte TotalDistanceFlag = 0x02;

    /// <summary>Flags bit 2: 0 walking, 1 running.</summary>
    public const byte RunningFlag = 0x04;

    /// <summary>Flags bits 3–7: reserved for future use.</summary>
    public const byte ReservedFlags = 0xF8;

    /// <summary>Speed resolution: 1/256 m/s.</summary>
    public const double SpeedScale = 1.0 / 256;

    /// <summary>Stride length resolution: 1/100 m.</summary>
    public const double StrideLengthScale = 0.01;

    /// <summary>Total distance resolution: 1/10 m.</summary>
    public const double TotalDistanceScale = 0.1;

    private const int FixedBytes = 4; // flags, speed uint16, cadence uint8
    private const int SpeedColumn = 0;
    private const int CadenceColumn = 1;
    private const int StrideLengthColumn = 2;
    private const int TotalDistanceColumn = 3;
    private const int RunningColumn = 4;

    private static readonly StreamSchema s_schema = new(
        [
            new ColumnSpec { Name = "speed", Kind = ColumnKind.UInt16, Unit = "m/s", Scale = SpeedScale, Description = "instantaneous speed, 1/256 m/s" },
            new ColumnSpec { Name = "cadence", Kind = ColumnKind.UInt8, Unit = "/min", Description = "instantaneous cadence, steps per minute" },
            new ColumnSpec
            {
                Name = "stride_length", Kind = ColumnKind.UInt16, Unit = "m", Scale = StrideLengthScale, Nullable = true,
                Description = "instantaneous stride length, 1/100 m; null when absent",
            },
            new ColumnSpec
            {
                Name = "total_distance", Kind = ColumnKind.UInt32, Unit = "m", Scale = TotalDistanceScale, Nullable = true,
                Description = "total distance since the sensor's last reset, 1/10 m; null when absent",
            },
            new ColumnSpec { Name = "running", Kind = ColumnKind.UInt8, Description = "flags bit 2: 0 walking, 1 running" },
        ],
        hasDeviceTime: false);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "Bluetooth SIG RSC Measurement (0x2A53): running speed, cadence, stride length, total distance",
        [BleUuid.FromShort(0x2A53)],
        static settings =>
        {
            settings.RejectUnknown();
            return new RscMeasurementDecoder();
        });

    /// <inheritdoc />
    public StreamSchema Schema => s_schema;

    /// <inheritdoc />
    public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (frame.IsEmpty)
        {
            return DecodeOutcome.Reject(RejectReason.Empty, "empty notification");
        }

        var flags = frame[0];
        if ((flags & ReservedFlags) != 0)
        {
            return DecodeOutcome.Reject(RejectReason.ImpossibleFlags, $"flags 0x{flags:X2} set reserved bits 3-7");
        }

        if (frame.Length < FixedBytes)
        {
            return frame.Length < 3
                ? DecodeOutcome.Truncated("instantaneous speed", 2, frame.Length - 1)
                : DecodeOutcome.Truncated("instantaneous cadence", 1, 0);
        }

        var speed = BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(1, 2));
        var cadence = frame[3];
        var offset = FixedBytes;
        var stride = -1;
        if ((flags & StrideLengthFlag) != 0)
        {
            if (frame.Length - offset < 2)
            {
                return DecodeOutcome.Truncated("instantaneous stride length", 2, frame.Length - offset);
            }

            stride = BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(offset, 2));
            offset += 2;
        }

        var hasDistance = (flags & TotalDistanceFlag) != 0;
        uint distance = 0;
        if (hasDistance)
        {
            if (frame.Length - offset < 4)
            {
                return DecodeOutcome.Truncated("total distance", 4, frame.Length - offset);
            }

            distance = BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(offset, 4));
            offset += 4;
        }

        if (offset != frame.Length)
        {
            return DecodeOutcome.Reject(RejectReason.TrailingBytes,
                $"{frame.Length - offset} byte(s) after the last field (flags 0x{flags:X2} define {offset})");
        }

        columns.HubTime.Append(hubTimeNs);
        columns.Values<ushort>(SpeedColumn).Append(speed);
        columns.Values<byte>(CadenceColumn).Append(cadence);
        var strideColumn = columns.Values<ushort>(StrideLengthColumn);
        if (stride >= 0)
        {
            strideColumn.Append((ushort)stride);
        }
        else
        {
            strideColumn.AppendNull();
        }

        var distanceColumn = columns.Values<uint>(TotalDistanceColumn);
        if (hasDistance)
        {
            distanceColumn.Append(distance);
        }
        else
        {
            distanceColumn.AppendNull();
        }

        columns.Values<byte>(RunningColumn).Append((byte)((flags & RunningFlag) >> 2));
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }
}
