using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// PLX Spot-Check Measurement 0x2A5E (Pulse Oximeter Service 0x1822, PLXS 1.0; indicated): one row per
/// measurement. SpO2PR-Spot-Check is always present; Timestamp (Date Time, flags bit 0) becomes <c>device_time</c>;
/// Measurement Status uint16 (bit 1), Device and Sensor Status uint24 (bit 2) and Pulse Amplitude Index (bit 3) are
/// optional; bit 4 says the device clock is not set (the time stamp is then the device's unset clock, kept as sent).
/// RFU bits 5–7, missing fields, trailing bytes and out-of-range time stamps are rejected.
/// </summary>
public sealed class PlxSpotCheckMeasurementDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "plx-spot-check-measurement";

    /// <summary>Flags bit 0: Timestamp present.</summary>
    public const byte TimestampFlag = 0x01;

    /// <summary>Flags bit 1: Measurement Status present.</summary>
    public const byte MeasurementStatusFlag = 0x02;

    /// <summary>Flags bit 2: Device and Sensor Status present.</summary>
    public const byte DeviceSensorStatusFlag = 0x04;

    /// <summary>Flags bit 3: Pulse Amplitude Index present.</summary>
    public const byte PulseAmplitudeIndexFlag = 0x08;

    /// <summary>Flags bit 4: the device clock is not set.</summary>
    public const byte DeviceClockNotSetFlag = 0x10;

    /// <summary>Flags bits 5–7: reserved for future use.</summary>
    public const byte ReservedFlags = 0xE0;

    /// <summary>Longest valid frame: flags, SpO2PR, time stamp, status u16, status u24, PAI.</summary>
    public const int MaxFrameLength = 1 + 4 + SigDateTime.Size + 2 + 3 + 2;

    private const int SpO2 = 0;
    private const int PulseRate = 2;
    private const int MeasurementStatusColumn = 4;
    private const int DeviceSensorStatusColumn = 5;
    private const int PulseAmplitudeIndex = 6;
    private const int ClockNotSetColumn = 8;

    private static readonly StreamSchema s_schema = new(
        [
            .. MderColumns.SFloatPair("spo2", "%", "SpO2, SpO2PR-Spot-Check", optional: false),
            .. MderColumns.SFloatPair("pulse_rate", "/min", "pulse rate, SpO2PR-Spot-Check", optional: false),
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
            .. MderColumns.SFloatPair("pulse_amplitude_index", "%", "pulse amplitude index (flags bit 3)", optional: true),
            new ColumnSpec
            {
                Name = "device_clock_not_set", Kind = ColumnKind.UInt8,
                Description = "flags bit 4: 1 when the oximeter's clock is not set (device_time is then not wall-clock time)",
            },
        ],
        hasDeviceTime: true);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "Bluetooth SIG PLX Spot-Check Measurement (0x2A5E): SpO2, pulse rate, time stamp, status, PAI",
        [BleUuid.FromShort(0x2A5E)],
        static settings =>
        {
            settings.RejectUnknown();
            return new PlxSpotCheckMeasurementDecoder();
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

        var timestampAt = 5;
        var measurementStatusAt = timestampAt + ((flags & TimestampFlag) != 0 ? SigDateTime.Size : 0);
        var deviceStatusAt = measurementStatusAt + ((flags & MeasurementStatusFlag) != 0 ? 2 : 0);
        var paiAt = deviceStatusAt + ((flags & DeviceSensorStatusFlag) != 0 ? 3 : 0);
        var end = paiAt + ((flags & PulseAmplitudeIndexFlag) != 0 ? 2 : 0);
        if (frame.Length != end)
        {
            return frame.Length > end
                ? DecodeOutcome.Reject(RejectReason.TrailingBytes, $"{frame.Length - end} byte(s) after the last field (flags 0x{flags:X2} define {end})")
                : Missing(frame.Length, timestampAt, measurementStatusAt, deviceStatusAt, paiAt);
        }

        var time = SigDateTimeResult.Unknown;
        long deviceTimeNs = 0;
        if ((flags & TimestampFlag) != 0)
        {
            time = SigDateTime.Read(frame.Slice(timestampAt, SigDateTime.Size), out deviceTimeNs);
            if (time == SigDateTimeResult.Invalid)
            {
                return DecodeOutcome.Reject(RejectReason.InvalidValue, SigDateTime.Describe(frame.Slice(timestampAt, SigDateTime.Size)));
            }
        }

        columns.HubTime.Append(hubTimeNs);
        SigDateTime.AppendDeviceTime(columns.DeviceTime!, time, deviceTimeNs);
        MderColumns.AppendSFloat(columns, SpO2, frame, 1, present: true);
        MderColumns.AppendSFloat(columns, PulseRate, frame, 3, present: true);
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
            deviceStatus.Append(PlxContinuousMeasurementDecoder.ReadUInt24LittleEndian(frame.Slice(deviceStatusAt, 3)));
        }
        else
        {
            deviceStatus.AppendNull();
        }

        MderColumns.AppendSFloat(columns, PulseAmplitudeIndex, frame, paiAt, (flags & PulseAmplitudeIndexFlag) != 0);
        columns.Values<byte>(ClockNotSetColumn).Append((byte)((flags & DeviceClockNotSetFlag) >> 4));
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }

    private static DecodeOutcome Missing(int length, int timestampAt, int measurementStatusAt, int deviceStatusAt, int paiAt)
    {
        if (length < 3)
        {
            return DecodeOutcome.Truncated("SpO2PR-Spot-Check SpO2", 2, length - 1);
        }

        if (length < timestampAt)
        {
            return DecodeOutcome.Truncated("SpO2PR-Spot-Check PR", 2, length - 3);
        }

        if (length < measurementStatusAt)
        {
            return DecodeOutcome.Truncated("time stamp", SigDateTime.Size, length - timestampAt);
        }

        if (length < deviceStatusAt)
        {
            return DecodeOutcome.Truncated("measurement status", 2, length - measurementStatusAt);
        }

        return length < paiAt
            ? DecodeOutcome.Truncated("device and sensor status", 3, length - deviceStatusAt)
            : DecodeOutcome.Truncated("pulse amplitude index", 2, length - paiAt);
    }
}
