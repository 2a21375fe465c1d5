using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// CSC Measurement 0x2A5B (Cycling Speed and Cadence Service 0x1816, CSCS 1.0): one row per notification with
/// the raw cumulative counters (wheel revolutions uint32 + last wheel event time, flags bit 0; crank revolutions
/// uint16 + last crank event time, bit 1; event times in 1/1024 s) and the speed and cadence derived from the
/// previous notification that carried the same block.
/// </summary>
/// <remarks>
/// Derivation (the sensor sends totals, not rates): Δrevolutions and Δevent-time are taken modulo 2^32 / 2^16 (wheel
/// counter), 2^16 (crank counter) and 2^16 (event times, which wrap every 64 s), so single wraparounds are exact.
/// Speed = Δwheel × circumference / Δt, cadence = Δcrank × 60 / Δt. Speed or cadence is null (the raw counters are
/// still stored) when:
/// <list type="bullet">
/// <item>there is no previous block (first notification, or after <see cref="Reset"/>);</item>
/// <item>no new event: the event time did not change (stopped, or slower than one revolution per notification);</item>
/// <item>the event time changed but the counter did not, or the counter changed but the event time did not (inconsistent);</item>
/// <item>more than <see cref="AmbiguousGapNs"/> of hub time passed since the previous event was first seen, so the
/// 64-s event-time wrap makes Δt ambiguous;</item>
/// <item>the result exceeds <see cref="MaxWheelRevolutionsPerSecond"/> or <see cref="MaxCadenceRpm"/>: a counter was
/// reset (sensor restart, or Set Cumulative Value through the SC Control Point), not a real speed.</item>
/// </list>
/// </remarks>
public sealed class CscMeasurementDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "csc-measurement";

    /// <summary>The setting with the wheel circumference in metres.</summary>
    public const string WheelCircumferenceSetting = "wheelCircumferenceM";

    /// <summary>Default wheel circumference: a 700×25C road tyre, 2.105 m (the usual default of bike computers).</summary>
    public const double DefaultWheelCircumferenceM = 2.105;

    /// <summary>Smallest circumference accepted: a small trainer roller.</summary>
    public const double MinWheelCircumferenceM = 0.1;

    /// <summary>Largest circumference accepted: well above a 29-inch MTB tyre (≈ 2.3 m).</summary>
    public const double MaxWheelCircumferenceM = 5.0;

    /// <summary>Flags bit 0: Wheel Revolution Data present.</summary>
    public const byte WheelDataFlag = 0x01;

    /// <summary>Flags bit 1: Crank Revolution Data present.</summary>
    public const byte CrankDataFlag = 0x02;

    /// <summary>Flags bits 2–7: reserved for future use.</summary>
    public const byte ReservedFlags = 0xFC;

    /// <summary>Event time resolution: 1/1024 s.</summary>
    public const double EventTimeScale = 1.0 / 1024;

    /// <summary>Event-time ticks per second.</summary>
    public const int EventTicksPerSecond = 1024;

    /// <summary>
    /// Hub time after which an event-time difference can no longer be trusted: the uint16 event time wraps every
    /// 64 s; 4 s of margin covers the notification interval and hub latency.
    /// </summary>
    public const long AmbiguousGapNs = 60 * 1_000_000_000L;

    /// <summary>Fastest plausible wheel: 50 rev/s is 380 km/h on a 2.1-m tyre; more means a counter reset.</summary>
    public const double MaxWheelRevolutionsPerSecond = 50;

    /// <summary>Fastest plausible cadence: track sprinters reach about 250 rpm; more means a counter reset.</summary>
    public const double MaxCadenceRpm = 300;

    /// <summary>Longest valid frame: flags, wheel block (6), crank block (4).</summary>
    public const int MaxFrameLength = 1 + 6 + 4;

    private const int WheelRevolutionsColumn = 0;
    private const int WheelEventTimeColumn = 1;
    private const int CrankRevolutionsColumn = 2;
    private const int CrankEventTimeColumn = 3;
    private const int SpeedColumn = 4;
    private const int CadenceColumn = 5;

    private static readonly StreamSchema s_schema = new(
        [
            new ColumnSpec
            {
                Name = "cumulative_wheel_revolutions", Kind = ColumnKind.UInt32, Nullable = true,
                Description = "cumulative wheel revolutions as sent (wraps at 2^32); null when absent",
            },
            new ColumnSpec
            {
                Name = "last_wheel_event_time", Kind = ColumnKind.UInt16, Unit = "s", Scale = EventTimeScale, Nullable = true,
                Description = "sensor time of the last wheel event, 1/1024 s, wraps every 64 s; null when absent",
            },
            new ColumnSpec
            {
                Name = "cumulative_crank_revolutions", Kind = ColumnKind.UInt16, Nullable = true,
                Description = "cumulative crank revolutions as sent (wraps at 2^16); null when absent",
            },
            new ColumnSpec
            {
                Name = "last_crank_event_time", Kind = ColumnKind.UInt16, Unit = "s", Scale = EventTimeScale, Nullable = true,
                Description = "sensor time of the last crank event, 1/1024 s, wraps every 64 s; null when absent",
            },
            new ColumnSpec
            {
                Name = "speed", Kind = ColumnKind.Float32, Unit = "m/s", Nullable = true,
                Description = "speed since the previous wheel event: revolutions x wheelCircumferenceM / time; null on the first block, with no new event, or when not derivable",
            },
            new ColumnSpec
            {
                Name = "cadence", Kind = ColumnKind.Float32, Unit = "/min", Nullable = true,
                Description = "crank cadence since the previous crank event; null on the first block, with no new event, or when not derivable",
            },
        ],
        hasDeviceTime: false);

    private readonly double _wheelCircumferenceM;
    private Counter _wheel;
    private Counter _crank;

    /// <summary>Creates a decoder for a wheel of <paramref name="wheelCircumferenceM"/> metres.</summary>
    public CscMeasurementDecoder(double wheelCircumferenceM = DefaultWheelCircumferenceM)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wheelCircumferenceM, MinWheelCircumferenceM);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wheelCircumferenceM, MaxWheelCircumferenceM);
        _wheelCircumferenceM = wheelCircumferenceM;
    }

    /// <summary>The factory profiles reach this decoder through (setting: <c>wheelCircumferenceM</c>).</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "Bluetooth SIG CSC Measurement (0x2A5B): wheel and crank counters, derived speed and cadence",
        [BleUuid.FromShort(0x2A5B)],
        static settings =>
        {
            settings.RejectUnknown(WheelCircumferenceSetting);
            return new CscMeasurementDecoder(settings.GetDouble(
                WheelCircumferenceSetting, MinWheelCircumferenceM, MaxWheelCircumferenceM, DefaultWheelCircumferenceM));
        });

    /// <inheritdoc />
    public StreamSchema Schema => s_schema;

    /// <summary>The wheel circumference speed is derived with, in metres.</summary>
    public double WheelCircumferenceM => _wheelCircumferenceM;

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
            return DecodeOutcome.Reject(RejectReason.ImpossibleFlags, $"flags 0x{flags:X2} set reserved bits 2-7");
        }

        var hasWheel = (flags & WheelDataFlag) != 0;
        var hasCrank = (flags & CrankDataFlag) != 0;
        var crankAt = 1 + (hasWheel ? 6 : 0);
        var end = crankAt + (hasCrank ? 4 : 0);
        if (frame.Length != end)
        {
            if (frame.Length > end)
            {
                return DecodeOutcome.Reject(RejectReason.TrailingBytes, $"{frame.Length - end} byte(s) after the last field (flags 0x{flags:X2} define {end})");
            }

            return frame.Length < crankAt
                ? DecodeOutcome.Truncated("wheel revolution data", 6, frame.Length - 1)
                : DecodeOutcome.Truncated("crank revolution data", 4, frame.Length - crankAt);
        }

        columns.HubTime.Append(hubTimeNs);
        var wheelRevolutions = columns.Values<uint>(WheelRevolutionsColumn);
        var wheelTime = columns.Values<ushort>(WheelEventTimeColumn);
        var speed = columns.Values<float>(SpeedColumn);
        if (hasWheel)
        {
            var revolutions = BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(1, 4));
            var eventTime = BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(5, 2));
            wheelRevolutions.Append(revolutions);
            wheelTime.Append(eventTime);
            var rate = _wheel.Advance(revolutions, eventTime, hubTimeNs, MaxWheelRevolutionsPerSecond);
            if (double.IsNaN(rate))
            {
                speed.AppendNull();
            }
            else
            {
                speed.Append((float)(rate * _wheelCircumferenceM));
            }
        }
        else
        {
            wheelRevolutions.AppendNull();
            wheelTime.AppendNull();
            speed.AppendNull();
        }

        var crankRevolutions = columns.Values<ushort>(CrankRevolutionsColumn);
        var crankTime = columns.Values<ushort>(CrankEventTimeColumn);
        var cadence = columns.Values<float>(CadenceColumn);
        if (hasCrank)
        {
            var revolutions = BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(crankAt, 2));
            var eventTime = BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(crankAt + 2, 2));
            crankRevolutions.Append(revolutions);
            crankTime.Append(eventTime);

            // CSCS 1.0, Cumulative Crank Revolutions: the crank counter is uint16, so its difference wraps at 2^16.
            var rate = _crank.Advance(revolutions, eventTime, hubTimeNs, MaxCadenceRpm / 60, counterMask: ushort.MaxValue);
            if (double.IsNaN(rate))
            {
                cadence.AppendNull();
            }
            else
            {
                cadence.Append((float)(rate * 60));
            }
        }
        else
        {
            crankRevolutions.AppendNull();
            crankTime.AppendNull();
            cadence.AppendNull();
        }

        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _wheel = default;
        _crank = default;
    }

    /// <summary>The last revolution block seen for one counter (wheel or crank).</summary>
    private struct Counter
    {
        private bool _seen;
        private uint _revolutions;
        private ushort _eventTime;
        private long _eventFirstSeenNs;

        /// <summary>
        /// Records a new block and returns revolutions per second since the previous event, or NaN when not derivable
        /// (see the class remarks). <paramref name="counterMask"/> is the counter's modulus − 1.
        /// </summary>
        public double Advance(uint revolutions, ushort eventTime, long hubTimeNs, double maxRevolutionsPerSecond, uint counterMask = uint.MaxValue)
        {
            if (!_seen)
            {
                _seen = true;
                _revolutions = revolutions;
                _eventTime = eventTime;
                _eventFirstSeenNs = hubTimeNs;
                return double.NaN;
            }

            var deltaRevolutions = (revolutions - _revolutions) & counterMask;
            var deltaTicks = (ushort)(eventTime - _eventTime);
            if (deltaTicks == 0)
            {
                if (deltaRevolutions != 0)
                {
                    // Revolutions without a new event time: inconsistent (or exactly 64 s apart); start afresh here.
                    _revolutions = revolutions;
                    _eventFirstSeenNs = hubTimeNs;
                }

                // Otherwise no new event since the last notification: the previous event stays the reference,
                // with the hub time it was first seen at.
                return double.NaN;
            }

            var sincePreviousEventNs = hubTimeNs - _eventFirstSeenNs;
            _revolutions = revolutions;
            _eventTime = eventTime;
            _eventFirstSeenNs = hubTimeNs;
            if (deltaRevolutions == 0 || sincePreviousEventNs > AmbiguousGapNs)
            {
                return double.NaN;
            }

            var rate = deltaRevolutions * (double)EventTicksPerSecond / deltaTicks;
            return rate > maxRevolutionsPerSecond ? double.NaN : rate;
        }
    }
}
