using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// PLX Continuous Measurement 0x2A5F (Pulse Oximeter Service 0x1822, PLXS 1.0; protocols.md §4.5): one row
/// per notification. SpO2PR-Normal is always present; SpO2PR-Fast (flags bit 0), SpO2PR-Slow (bit 1), Measurement
/// Status uint16 (bit 2), Device and Sensor Status uint24 (bit 3) and Pulse Amplitude Index (bit 4) are optional.
/// Every SFLOAT becomes a value column and a status column (see <see cref="MderStatus"/>). RFU bits 5–7, missing
/// fields and trailing bytes are rejected; status words are kept raw, RFU bits included.
/// </summary>
public sealed class PlxContinuousMeasurementDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "plx-continuous-measurement";

    /// <summary>Flags bit 0: SpO2PR-Fast present.</summary>
    public const byte FastFlag = 0x01;

    /// <summary>Flags bit 1: SpO2PR-Slow present.</summary>
    public const byte SlowFlag = 0x02;

    /// <summary>Flags bit 2: Measurement Status present.</summary>
    public const byte MeasurementStatusFlag = 0x04;

    /// <summary>Flags bit 3: Device and Sensor Status present.</summary>
    public const byte DeviceSensorStatusFlag = 0x08;

    /// <summary>Flags bit 4: Pulse Amplitude Index present.</summary>
    public const byte PulseAmplitudeIndexFlag = 0x10;

    /// <summary>Flags bits 5–7: reserved for future use.</summary>
    public const byte ReservedFlags = 0xE0;

    /// <summary>Longest valid frame: flags, three SpO2PR pairs, status u16, status u24, PAI.</summary>
    public const int MaxFrameLength = 1 + 12 + 2 + 3 + 2;

    private const int SpO2 = 0;
    private const int PulseRate = 2;
    private const int SpO2Fast = 4;
    private const int PulseRateFast = 6;
    private const int SpO2Slow = 8;
    private const int PulseRateSlow = 10;
    private const int MeasurementStatusColumn = 12;
    private const int DeviceSensorStatusColumn = 13;
    private const int PulseAmplitudeIndex = 14;

    private static readonly StreamSchema s_schema = new(
        [
            .. MderColumns.SFloatPair("spo2", "%", "SpO2, SpO2PR-Normal", optional: false),
            .. MderColumns.SFloatPair("pulse_rate", "/min", "pulse rate, SpO2PR-Normal", optional: false),
            .. MderColumns.SFloatPair("spo2_fast", "%", "SpO2, SpO2PR-Fast (flags bit 0)", optional: true),
            .. MderColumns.SFloatPair("pulse_rate_fast", "/min", "pulse rate, SpO2PR-Fast (flags bit 0)", optional: true),
            .. MderColumns.SFloatPair("spo2_slow", "%", "SpO2, SpO2PR-Slow (flags bit 1)", optional: true),
            .. MderColumns.SFloatPair("pulse_rate_slow", "/min", "pulse rate, SpO2PR-Slow (flags bit 1)", optional: true),
            new ColumnSpec
            {
                Name = "measurement_status", Kind = ColumnKind.UInt16, Nullable = true,
                Description = "Measurement Status bit field as sent (PLXS 1.0.1: bits 5-15 defined, 0-4 reserved); null when absent",
            },
            new ColumnSpec
            {
                Name = "device_sensor_status", Kind = ColumnKind.UInt32, Nullable = true,
                Description = "Device and Sensor Status 24-bit field as sent (PLXS 1.0.1: bits 0-15 defined, 16-23 reserved); null when absent",
            },
            .. MderColumns.SFloatPair("pulse_amplitude_index", "%", "pulse amplitude index (flags bit 4)", optional: true),
        ],
        hasDeviceTime: false);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "Bluetooth SIG PLX Continuous Measurement (0x2A5F): SpO2 and pulse rate (normal, fast, slow), status, PAI",
        [BleUuid.FromShort(0x2A5F)],
        static settings =>
        {
            settings.RejectUnknown();
            return new PlxContinuousMeasurementDecoder();
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
            return DecodeOutcome.Reject(RejectReason.ImpossibleFlags, $"flags 0x{flags:X2} set reserved bits 5-7");
        }

        // Field offsets follow from the flags alone; check the length once, then name the first missing field.
        var fastAt = 5;
        var slowAt = fastAt + ((flags & FastFlag) != 0 ? 4 : 0);
        var measurementStatusAt = slowAt + ((flags & SlowFlag) != 0 ? 4 : 0);
        var deviceStatusAt = measurementStatusAt + ((flags & MeasurementStatusFlag) != 0 ? 2 : 0);
        var paiAt = deviceStatusAt + ((flags & DeviceSensorStatusFlag) != 0 ? 3 : 0);
        var end = paiAt + ((flags & PulseAmplitudeIndexFlag) != 0 ? 2 : 0);
        if (frame.Length != end)
        {
            return frame.Length > end
                ? DecodeOutcome.Reject(RejectReason.TrailingBytes, $"{frame.Length - end} byte(s) after the last field (flags 0x{flags:X2} define {end})")
                : Missing(frame.Length, flags, fastAt, slowAt, measurementStatusAt, deviceStatusAt, paiAt);
        }

        columns.HubTime.Append(hubTimeNs);
        MderColumns.AppendSFloat(columns, SpO2, frame, 1, present: true);
        MderColumns.AppendSFloat(columns, PulseRate, frame, 3, present: true);
        MderColumns.AppendSFloat(columns, SpO2Fast, frame, fastAt, (flags & FastFlag) != 0);
        MderColumns.AppendSFloat(columns, PulseRateFast, frame, fastAt + 2, (flags & FastFlag) != 0);
        MderColumns.AppendSFloat(columns, SpO2Slow, frame, slowAt, (flags & SlowFlag) != 0);
        MderColumns.AppendSFloat(columns, PulseRateSlow, frame, slowAt + 2, (flags & SlowFlag) != 0);
        var measurementStatus = columns.Values<ushort>(MeasurementStatusColumn);
        if ((flags & MeasurementStatusFlag) != 0)
        {
            measurementStatus.Append(BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(measurementStatusAt, 2)));
        }
        else
        {
            measurementStatus.AppendNull();
        }

        var deviceStatus = columns.Values<uint>(DeviceSensorStatusColumn);
        if ((flags & DeviceSensorStatusFlag) != 0)
        {
            deviceStatus.Append(ReadUInt24LittleEndian(frame.Slice(deviceStatusAt, 3)));
        }
        else
        {
            deviceStatus.AppendNull();
        }

        MderColumns.AppendSFloat(columns, PulseAmplitudeIndex, frame, paiAt, (flags & PulseAmplitudeIndexFlag) != 0);
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }

    /// <summary>A little-endian uint24 (PLXS Device and Sensor Status).</summary>
    internal static uint ReadUInt24LittleEndian(ReadOnlySpan<byte> field) =>
        (uint)(field[0] | (field[1] << 8) | (field[2] << 16));

    private static DecodeOutcome Missing(int length, byte flags, int fastAt, int slowAt, int measurementStatusAt, int deviceStatusAt, int paiAt)
    {
        if (length < 3)
        {
            return DecodeOutcome.Truncated("SpO2PR-Normal SpO2", 2, length - 1);
        }

        if (length < fastAt)
        {
            return DecodeOutcome.Truncated("SpO2PR-Normal PR", 2, length - 3);
        }

        if (length < slowAt)
        {
            return DecodeOutcome.Truncated("SpO2PR-Fast", 4, length - fastAt);
        }

        if (length < measurementStatusAt)
        {
            return DecodeOutcome.Truncated("SpO2PR-Slow", 4, length - slowAt);
        }

        if (length < deviceStatusAt)
        {
            return DecodeOutcome.Truncated("measurement status", 2, length - measurementStatusAt);
        }

        return length < paiAt
            ? DecodeOutcome.Truncated("device and sensor status", 3, length - deviceStatusAt)
            : DecodeOutcome.Truncated($"pulse amplitude index (flags 0x{flags:X2})", 2, length - paiAt);
    }
}
