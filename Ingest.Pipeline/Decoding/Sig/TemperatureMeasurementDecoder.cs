using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// Temperature Measurement 0x2A1C (Health Thermometer Service 0x1809, HTS 1.0; indicated): one row per
/// measurement. The value is an IEEE-11073 32-bit FLOAT in °C, or in °F when flags bit 0 is set; this decoder
/// stores °C (converting °F as (F − 32) × 5/9) and records the unit the thermometer used. The optional Time Stamp
/// (Date Time, bit 1) becomes <c>device_time</c>, the optional Temperature Type (bit 2) is kept as sent. RFU bits
/// 3–7, missing fields, trailing bytes and out-of-range time stamps are rejected.
/// </summary>
public sealed class TemperatureMeasurementDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "temperature-measurement";

    /// <summary>Flags bit 0: the value is in °F (else °C).</summary>
    public const byte FahrenheitFlag = 0x01;

    /// <summary>Flags bit 1: Time Stamp present.</summary>
    public const byte TimeStampFlag = 0x02;

    /// <summary>Flags bit 2: Temperature Type present.</summary>
    public const byte TemperatureTypeFlag = 0x04;

    /// <summary>Flags bits 3–7: reserved for future use.</summary>
    public const byte ReservedFlags = 0xF8;

    /// <summary>Longest valid frame: flags, FLOAT, time stamp, type.</summary>
    public const int MaxFrameLength = 1 + 4 + SigDateTime.Size + 1;

    private const int TemperatureColumn = 0;
    private const int StatusColumn = 1;
    private const int FahrenheitColumn = 2;
    private const int TypeColumn = 3;

    private static readonly StreamSchema s_schema = new(
        [
            .. MderColumns.FloatPair("temperature", "Cel", "body temperature in Cel, converted from [degF] when the thermometer reported those", optional: false),
            new ColumnSpec
            {
                Name = "reported_fahrenheit", Kind = ColumnKind.UInt8,
                Description = "flags bit 0: 1 when the thermometer sent [degF] (temperature holds (F - 32) * 5/9), 0 for Cel",
            },
            new ColumnSpec
            {
                Name = "temperature_type", Kind = ColumnKind.UInt8, Nullable = true,
                Description = "measurement site as sent (Temperature Type 0x2A1D): 1 armpit, 2 body, 3 ear, 4 finger, 5 gastro-intestinal, 6 mouth, 7 rectum, 8 toe, 9 tympanum; null when absent",
            },
        ],
        hasDeviceTime: true);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "Bluetooth SIG Temperature Measurement (0x2A1C) and Intermediate Temperature (0x2A1E): body temperature, time stamp, site",
        // HTS 1.0: Intermediate Temperature has the Temperature Measurement format.
        [BleUuid.FromShort(0x2A1C), BleUuid.FromShort(0x2A1E)],
        static settings =>
        {
            settings.RejectUnknown();
            return new TemperatureMeasurementDecoder();
        });

    /// <inheritdoc />
    public StreamSchema Schema => s_schema;

    /// <summary>°F to °C, as stored: (F − 32) × 5/9.</summary>
    public static double FahrenheitToCelsius(double fahrenheit) => (fahrenheit - 32) * 5 / 9;

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

        const int timeStampAt = 5;
        var typeAt = timeStampAt + ((flags & TimeStampFlag) != 0 ? SigDateTime.Size : 0);
        var end = typeAt + ((flags & TemperatureTypeFlag) != 0 ? 1 : 0);
        if (frame.Length != end)
        {
            if (frame.Length > end)
            {
                return DecodeOutcome.Reject(RejectReason.TrailingBytes, $"{frame.Length - end} byte(s) after the last field (flags 0x{flags:X2} define {end})");
            }

            return frame.Length < timeStampAt ? DecodeOutcome.Truncated("temperature (FLOAT)", 4, frame.Length - 1)
                : frame.Length < typeAt ? DecodeOutcome.Truncated("time stamp", SigDateTime.Size, frame.Length - timeStampAt)
                : DecodeOutcome.Truncated("temperature type", 1, 0);
        }

        var time = SigDateTimeResult.Unknown;
        long deviceTimeNs = 0;
        if ((flags & TimeStampFlag) != 0)
        {
            time = SigDateTime.Read(frame.Slice(timeStampAt, SigDateTime.Size), out deviceTimeNs);
            if (time == SigDateTimeResult.Invalid)
            {
                return DecodeOutcome.Reject(RejectReason.InvalidValue, SigDateTime.Describe(frame.Slice(timeStampAt, SigDateTime.Size)));
            }
        }

        var fahrenheit = (flags & FahrenheitFlag) != 0;
        var number = new MderFloat(BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(1, 4)));
        columns.HubTime.Append(hubTimeNs);
        SigDateTime.AppendDeviceTime(columns.DeviceTime!, time, deviceTimeNs);
        var temperature = columns.Values<double>(TemperatureColumn);
        var status = number.Status;
        if (status is MderStatus.NaN or MderStatus.NRes or MderStatus.Reserved)
        {
            temperature.AppendNull();
        }
        else
        {
            var value = number.ToDouble();
            temperature.Append(fahrenheit ? FahrenheitToCelsius(value) : value);
        }

        columns.Values<byte>(StatusColumn).Append((byte)status);
        columns.Values<byte>(FahrenheitColumn).Append(fahrenheit ? (byte)1 : (byte)0);
        var type = columns.Values<byte>(TypeColumn);
        if ((flags & TemperatureTypeFlag) != 0)
        {
            type.Append(frame[typeAt]);
        }
        else
        {
            type.AppendNull();
        }

        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }
}
