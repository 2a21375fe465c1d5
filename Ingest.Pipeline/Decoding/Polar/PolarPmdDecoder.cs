using System.Buffers.Binary;
using System.Numerics;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// Polar Measurement Data (PMD DATA notifications, characteristic <c>FB005C82-…</c>): ECG, ACC, PPG and PPI, raw
/// and delta-compressed (protocols.md §4.8, verified against polar-ble-sdk). One row per sample.
/// <para>
/// <c>device_time</c> follows <c>PmdTimeStampUtils</c>: the frame timestamp is the last sample's; when the previous
/// frame's timestamp is known the samples are spread evenly over (previous, current] (rounded to whole ns, exactly
/// in integers), otherwise they run back from the frame timestamp at 1/sampleRate. A timestamp that does not
/// increase is rejected with <see cref="RejectReason.NonIncreasingTime"/>; the decoder still adopts it as the
/// previous timestamp (as the SDK records every frame's timestamp before parsing), so a sensor clock reset costs
/// one frame rather than the stream. PPI frames time each beat back from the frame timestamp by its PP interval;
/// a PPI timestamp of 0 (which the SDK allows) gives null <c>device_time</c>s.
/// </para>
/// <para><c>hub_time</c>: the receive time is the last sample's; earlier samples are spaced by 1/sampleRate (PPI: by
/// their PP intervals) before it.</para>
/// Zero allocation when accepting a frame. Not thread-safe.
/// </summary>
public sealed class PolarPmdDecoder : IFrameDecoder, IFrameLossReporter, IDeviceClockReporter
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "polar-pmd";

    private const int Int24Size = 3;
    private const int AccRaw0SampleSize = 3;
    private const int AccRaw1SampleSize = 6;
    private const int AccRaw2SampleSize = 9;
    private const int EcgRaw3SampleSize = 7;
    private const int PpgRaw0SampleSize = 12;
    private const int PpiSampleSize = 6;
    private const long NanosecondsPerMillisecond = 1_000_000;

    private readonly PolarPmdSettings _settings;
    private readonly long _hubPeriodNs;
    private readonly int _referenceBits;

    // Indexed by the frame-type byte (bit 7 compressed): the declared type's plan, null for an undeclared one.
    private readonly FramePlan?[] _plans = new FramePlan?[256];
    private readonly int _frameTypeColumn;
    private readonly string _declared;
    private bool _hasPrevious;
    private ulong _previous;
    private long _lostNs;
    private bool _hasClockReading;
    private long _clockReadingNs;

    /// <summary>Creates a decoder for one stream.</summary>
    public PolarPmdDecoder(PolarPmdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _referenceBits = settings.ReferenceBits;
        if (settings.SampleRateHz > 0)
        {
            _hubPeriodNs = SampleClock.PeriodNs(settings.SampleRateHz);
        }

        Schema = PolarPmdSchemas.Create(settings);
        _frameTypeColumn = Schema.IndexOf(PolarPmdSchemas.FrameTypeColumn);
        if (settings.FrameTypes.Count == 1)
        {
            // A single-type stream has no frame_type column; a value column of that name is the profile's own.
            _frameTypeColumn = -1;
        }

        foreach (var type in settings.FrameTypes)
        {
            _plans[type.TypeByte] = FramePlan.Create(settings.Measurement, type, Schema);
        }

        _declared = string.Join(", ", settings.FrameTypes.Select(type => type.Label));
    }

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name,
        "Polar PMD (H10, Verity Sense, OH1): ECG, ACC, PPG, PPI frames, raw and delta-compressed",
        [],
        static settings => new PolarPmdDecoder(PolarPmdSettings.Parse(settings)));

    /// <summary>The stream's settings.</summary>
    public PolarPmdSettings Settings => _settings;

    /// <inheritdoc />
    public StreamSchema Schema { get; }

    /// <inheritdoc />
    public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (frame.Length < PmdFrameHeader.Size)
        {
            return DecodeOutcome.Truncated("PMD frame header", PmdFrameHeader.Size, frame.Length);
        }

        var measurement = PmdFrameHeader.MeasurementType(frame);
        if (measurement != (int)_settings.Measurement)
        {
            return DecodeOutcome.Reject(RejectReason.BadFrameType,
                $"measurement type {measurement} (byte 0x{frame[0]:X2}); this stream decodes {PolarPmdSettings.Name(_settings.Measurement)} ({(int)_settings.Measurement})");
        }

        var frameType = frame[PmdFrameHeader.FrameTypeOffset];
        var plan = _plans[frameType];
        if (plan is null)
        {
            // Never decoded with another type's layout: the SDK picks the parser by this byte, and so do we.
            return DecodeOutcome.Reject(RejectReason.BadFrameType,
                $"frame type byte 0x{frameType:X2} ({PmdFrameType.Describe(frameType & PmdFrameHeader.FrameTypeMask, (frameType & PmdFrameHeader.CompressedBit) != 0)}) is not declared for this {PolarPmdSettings.Name(_settings.Measurement)} stream; declared: {_declared} (add it to the profile's settings.frameTypes if the firmware sends it)");
        }

        var timestamp = PmdFrameHeader.Timestamp(frame);
        if (timestamp > PmdFrameHeader.MaxTimestamp)
        {
            return DecodeOutcome.Reject(RejectReason.InvalidValue, $"timestamp {timestamp} ns since 2000 is past the year 2262; not a clock reading");
        }

        var hasPrevious = _hasPrevious;
        var previous = _previous;
        var timed = plan.Layout != PmdFrameLayout.PpiRaw0 || timestamp != 0;
        if (timed)
        {
            // Adopted before the content is checked, as the SDK does (processPmdData records it first).
            _previous = timestamp;
            _hasPrevious = true;
            if (hasPrevious && timestamp <= previous)
            {
                // A clock reading all the same: a sensor clock that went back is what the clock estimator looks for.
                TakeClockReading(timestamp);
                return DecodeOutcome.Reject(RejectReason.NonIncreasingTime,
                    $"frame timestamp {timestamp} ns does not increase on the previous frame's {previous} ns (sensor clock reset?)");
            }
        }

        var payload = frame[PmdFrameHeader.Size..];
        int samples;
        switch (plan.Layout)
        {
            case PmdFrameLayout.Delta:
                {
                    var scan = PmdDeltaCodec.Scan(payload, plan.Channels, _referenceBits);
                    if (!scan.IsOk)
                    {
                        return RejectDelta(scan);
                    }

                    samples = scan.Samples;
                    DecodeDelta(plan, payload, samples, columns);
                    break;
                }

            case PmdFrameLayout.PpiRaw0:
                {
                    var outcome = DecodePpi(payload, timestamp, hubTimeNs, columns);
                    if (outcome.IsAccepted && timed)
                    {
                        TakeClockReading(timestamp);
                    }

                    return outcome;
                }

            default:
                {
                    var sampleSize = RawSampleSize(plan.Layout);
                    if (payload.IsEmpty || payload.Length % sampleSize != 0)
                    {
                        return RejectRawLength(payload.Length, sampleSize);
                    }

                    samples = payload.Length / sampleSize;
                    DecodeRaw(plan, payload, samples, columns);
                    break;
                }
        }

        // Rows of a type that does not fill every column of the stream: null there; and which type each row is.
        foreach (var column in plan.Unfilled)
        {
            AppendNulls(columns[column], samples);
        }

        if (_frameTypeColumn >= 0)
        {
            columns.Values<byte>(_frameTypeColumn).AppendSpan(samples).Fill(frameType);
        }

        TakeClockReading(timestamp);

        // Frames lost since the previous one: the tracker's clock advanced by more than half a frame beyond this frame's
        // samples (clock drift is ppm). The hole is reported (IFrameLossReporter) for the gaps stream; device times stay
        // as the SDK computes them (spread over the interval), so decoded values match the reference.
        if (hasPrevious)
        {
            DetectLoss(timestamp - previous, samples);
        }

        AppendDeviceTimes(columns.DeviceTime!, timestamp, hasPrevious, previous, samples);
        SampleClock.AppendSpread(columns.HubTime, hubTimeNs, samples, _hubPeriodNs);
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public bool TryTakeLoss(out long lostNs)
    {
        lostNs = _lostNs;
        _lostNs = 0;
        return lostNs > 0;
    }

    private void DetectLoss(ulong span, int samples)
    {
        var covered = samples * SampleClock.NanosecondsPerSecond / _settings.SampleRateHz;
        var elapsed = (long)Math.Min(span, long.MaxValue);
        _lostNs = elapsed > covered + (covered / 2) ? elapsed - covered : 0;
    }

    /// <inheritdoc />
    public bool TryTakeDeviceTime(out long deviceTimeNs)
    {
        deviceTimeNs = _clockReadingNs;
        var has = _hasClockReading;
        _hasClockReading = false;
        return has;
    }

    private void TakeClockReading(ulong timestamp)
    {
        _clockReadingNs = (long)timestamp + SampleClock.UnixToY2000Ns;
        _hasClockReading = true;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _hasPrevious = false;
        _previous = 0;
        _lostNs = 0;
        _hasClockReading = false;
    }

    private static void AppendNulls(ColumnBuffer column, int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            switch (column)
            {
                case PrimitiveColumnBuffer<int> values: values.AppendNull(); break;
                case PrimitiveColumnBuffer<byte> values: values.AppendNull(); break;
                case PrimitiveColumnBuffer<short> values: values.AppendNull(); break;
                case PrimitiveColumnBuffer<sbyte> values: values.AppendNull(); break;
                case PrimitiveColumnBuffer<ushort> values: values.AppendNull(); break;
                default: throw new InvalidOperationException($"PMD column '{column.Spec.Name}' of type {column.Spec.TypeName} cannot be null-filled");
            }
        }
    }

    private static int RawSampleSize(PmdFrameLayout layout) => layout switch
    {
        PmdFrameLayout.AccRaw0 => AccRaw0SampleSize,
        PmdFrameLayout.AccRaw1 => AccRaw1SampleSize,
        PmdFrameLayout.AccRaw2 => AccRaw2SampleSize,
        PmdFrameLayout.PpgRaw0 => PpgRaw0SampleSize,
        PmdFrameLayout.EcgRaw3 => EcgRaw3SampleSize,
        _ => Int24Size,
    };

    private static int ReadInt24(ReadOnlySpan<byte> bytes, int offset) =>
        (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16)) << 8 >> 8;

    private static void DecodeRaw(FramePlan plan, ReadOnlySpan<byte> payload, int samples, StreamColumns columns)
    {
        var col = plan.SlotColumns;
        if (plan.Widened)
        {
            // ACC raw 0/1 into a wider column the stream shares with a wider type (ADR 0010): per channel, converted.
            DecodeAccWidened(plan, payload, samples, columns);
            return;
        }

        switch (plan.Layout)
        {
            case PmdFrameLayout.AccRaw1:
                {
                    var x = columns.Values<short>(col[0]).AppendSpan(samples);
                    var y = columns.Values<short>(col[1]).AppendSpan(samples);
                    var z = columns.Values<short>(col[2]).AppendSpan(samples);
                    y = y[..x.Length];
                    z = z[..x.Length];

                    // One 64-bit LE load per sample while 8 bytes remain (all but the last sample), then the tail.
                    var i = 0;
                    for (var o = 0; i < x.Length - 1; i++, o += AccRaw1SampleSize)
                    {
                        var v = BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(o, sizeof(ulong)));
                        x[i] = (short)v;
                        y[i] = (short)(v >> 16);
                        z[i] = (short)(v >> 32);
                    }

                    var last = payload.Slice(i * AccRaw1SampleSize, AccRaw1SampleSize);
                    x[i] = BinaryPrimitives.ReadInt16LittleEndian(last);
                    y[i] = BinaryPrimitives.ReadInt16LittleEndian(last[2..]);
                    z[i] = BinaryPrimitives.ReadInt16LittleEndian(last[4..]);

                    break;
                }

            case PmdFrameLayout.AccRaw0:
                {
                    var x = columns.Values<sbyte>(col[0]).AppendSpan(samples);
                    var y = columns.Values<sbyte>(col[1]).AppendSpan(samples);
                    var z = columns.Values<sbyte>(col[2]).AppendSpan(samples);
                    for (int i = 0, o = 0; i < x.Length; i++, o += AccRaw0SampleSize)
                    {
                        x[i] = (sbyte)payload[o];
                        y[i] = (sbyte)payload[o + 1];
                        z[i] = (sbyte)payload[o + 2];
                    }

                    break;
                }

            case PmdFrameLayout.AccRaw2:
                {
                    var x = columns.Values<int>(col[0]).AppendSpan(samples);
                    var y = columns.Values<int>(col[1]).AppendSpan(samples);
                    var z = columns.Values<int>(col[2]).AppendSpan(samples);
                    for (int i = 0, o = 0; i < x.Length; i++, o += AccRaw2SampleSize)
                    {
                        x[i] = ReadInt24(payload, o);
                        y[i] = ReadInt24(payload, o + Int24Size);
                        z[i] = ReadInt24(payload, o + (2 * Int24Size));
                    }

                    break;
                }

            case PmdFrameLayout.PpgRaw0:
                {
                    var c0 = columns.Values<int>(col[0]).AppendSpan(samples);
                    var c1 = columns.Values<int>(col[1]).AppendSpan(samples);
                    var c2 = columns.Values<int>(col[2]).AppendSpan(samples);
                    var c3 = columns.Values<int>(col[3]).AppendSpan(samples);
                    for (int i = 0, o = 0; i < c0.Length; i++, o += PpgRaw0SampleSize)
                    {
                        c0[i] = ReadInt24(payload, o);
                        c1[i] = ReadInt24(payload, o + Int24Size);
                        c2[i] = ReadInt24(payload, o + (2 * Int24Size));
                        c3[i] = ReadInt24(payload, o + (3 * Int24Size));
                    }

                    break;
                }

            case PmdFrameLayout.EcgRaw1:
                {
                    var ecg = columns.Values<int>(col[0]).AppendSpan(samples);
                    var overSampling = columns.Values<byte>(col[1]).AppendSpan(samples);
                    var skinContact = columns.Values<byte>(col[2]).AppendSpan(samples);
                    var impedance = columns.Values<byte>(col[3]).AppendSpan(samples);
                    for (int i = 0, o = 0; i < ecg.Length; i++, o += Int24Size)
                    {
                        // EcgData.dataFromRawType1: 14-bit value, status bits in byte 2.
                        ecg[i] = (payload[o] | ((payload[o + 1] & 0x3F) << 8)) & 0x3FFF;
                        var status = payload[o + 2];
                        overSampling[i] = (byte)(status & 0x01);
                        skinContact[i] = (byte)((status & 0x06) >> 1);
                        impedance[i] = (byte)((status & 0x18) >> 3);
                    }

                    break;
                }

            case PmdFrameLayout.EcgRaw2:
                {
                    var ecg = columns.Values<int>(col[0]).AppendSpan(samples);
                    var ecgTag = columns.Values<byte>(col[1]).AppendSpan(samples);
                    var paceTag = columns.Values<byte>(col[2]).AppendSpan(samples);
                    for (int i = 0, o = 0; i < ecg.Length; i++, o += Int24Size)
                    {
                        // EcgData.dataFromRawType2: value in bytes 0–1 and bits 0–1 of byte 2, tags above.
                        var status = payload[o + 2];
                        ecg[i] = (payload[o] | (payload[o + 1] << 8) | ((status & 0x03) << 16)) & 0x3FFFFF;
                        ecgTag[i] = (byte)((status & 0x1C) >> 2);
                        paceTag[i] = (byte)((status & 0xE0) >> 5);
                    }

                    break;
                }

            case PmdFrameLayout.EcgRaw3:
                {
                    var data0 = columns.Values<int>(col[0]).AppendSpan(samples);
                    var data1 = columns.Values<int>(col[1]).AppendSpan(samples);
                    var status = columns.Values<byte>(col[2]).AppendSpan(samples);
                    for (int i = 0, o = 0; i < data0.Length; i++, o += EcgRaw3SampleSize)
                    {
                        // EcgData.dataFromRawType3: two signed int24 fields, then a status byte.
                        data0[i] = ReadInt24(payload, o);
                        data1[i] = ReadInt24(payload, o + Int24Size);
                        status[i] = payload[o + (2 * Int24Size)];
                    }

                    break;
                }

            default:
                {
                    var ecg = columns.Values<int>(col[0]).AppendSpan(samples);

                    // One 32-bit LE load per sample (low 24 bits, sign-extended) while 4 bytes remain, then the tail.
                    var i = 0;
                    for (var o = 0; i < ecg.Length - 1; i++, o += Int24Size)
                    {
                        ecg[i] = (int)(BinaryPrimitives.ReadUInt32LittleEndian(payload.Slice(o, sizeof(uint))) << 8) >> 8;
                    }

                    ecg[i] = ReadInt24(payload, i * Int24Size);

                    break;
                }
        }
    }

    private void DecodeDelta(FramePlan plan, ReadOnlySpan<byte> payload, int samples, StreamColumns columns)
    {
        var channels = plan.Channels;
        var col = plan.SlotColumns;
        var c0 = columns.Values<int>(col[0]).AppendSpan(samples);
        var c1 = channels > 1 ? columns.Values<int>(col[1]).AppendSpan(samples) : default;
        var c2 = channels > 2 ? columns.Values<int>(col[2]).AppendSpan(samples) : default;
        var c3 = channels > 3 ? columns.Values<int>(col[3]).AppendSpan(samples) : default;
        PmdDeltaCodec.Decode(payload, channels, _referenceBits, c0, c1, c2, c3);
    }

    private static void DecodeAccWidened(FramePlan plan, ReadOnlySpan<byte> payload, int samples, StreamColumns columns)
    {
        var width = plan.Layout switch
        {
            PmdFrameLayout.AccRaw0 => 1,
            PmdFrameLayout.AccRaw1 => 2,
            _ => 3,
        };
        for (var channel = 0; channel < 3; channel++)
        {
            var column = plan.SlotColumns[channel];
            switch (columns[column].Spec.Kind)
            {
                case ColumnKind.Int8:
                    FillAcc(columns.Values<sbyte>(column).AppendSpan(samples), payload, width, channel);
                    break;
                case ColumnKind.Int16:
                    FillAcc(columns.Values<short>(column).AppendSpan(samples), payload, width, channel);
                    break;
                default:
                    FillAcc(columns.Values<int>(column).AppendSpan(samples), payload, width, channel);
                    break;
            }
        }
    }

    private static void FillAcc<T>(Span<T> target, ReadOnlySpan<byte> payload, int width, int channel)
        where T : unmanaged, IBinaryInteger<T>
    {
        var stride = 3 * width;
        for (int i = 0, o = channel * width; i < target.Length; i++, o += stride)
        {
            var value = width switch
            {
                1 => (sbyte)payload[o],
                2 => BinaryPrimitives.ReadInt16LittleEndian(payload.Slice(o, 2)),
                _ => ReadInt24(payload, o),
            };
            target[i] = T.CreateTruncating(value);
        }
    }

    /// <summary>How one declared frame type lands in the stream's columns.</summary>
    private sealed class FramePlan
    {
        public required PmdFrameLayout Layout { get; init; }

        public required int Channels { get; init; }

        /// <summary>The value column each slot fills.</summary>
        public required int[] SlotColumns { get; init; }

        /// <summary>Value columns this type does not fill (null in its rows).</summary>
        public required int[] Unfilled { get; init; }

        /// <summary>True when a slot's column is wider than the slot (ACC raw 0/1 sharing columns with a wider type).</summary>
        public required bool Widened { get; init; }

        public static FramePlan Create(PmdMeasurementType measurement, PmdFrameType type, StreamSchema schema)
        {
            var slots = PmdFrameSlots.Of(measurement, type.Layout);
            var columns = new int[slots.Count];
            var widened = false;
            for (var k = 0; k < slots.Count; k++)
            {
                columns[k] = schema.IndexOf(type.Columns[k]);
                widened |= schema.Columns[columns[k]].Kind != slots[k].Kind;
            }

            var unfilled = new List<int>();
            for (var c = 0; c < schema.Columns.Count; c++)
            {
                if (Array.IndexOf(columns, c) < 0 && !string.Equals(schema.Columns[c].Name, PolarPmdSchemas.FrameTypeColumn, StringComparison.Ordinal))
                {
                    unfilled.Add(c);
                }
            }

            return new FramePlan
            {
                Layout = type.Layout,
                Channels = type.Channels,
                SlotColumns = columns,
                Unfilled = [.. unfilled],
                Widened = widened,
            };
        }
    }

    private static DecodeOutcome DecodePpi(ReadOnlySpan<byte> payload, ulong timestamp, long hubTimeNs, StreamColumns columns)
    {
        if (payload.IsEmpty || payload.Length % PpiSampleSize != 0)
        {
            return RejectRawLength(payload.Length, PpiSampleSize);
        }

        var samples = payload.Length / PpiSampleSize;
        var hr = columns.Values<byte>(0).AppendSpan(samples);
        var pp = columns.Values<ushort>(1).AppendSpan(samples);
        var error = columns.Values<ushort>(2).AppendSpan(samples);
        var blocker = columns.Values<byte>(3).AppendSpan(samples);
        var contact = columns.Values<byte>(4).AppendSpan(samples);
        var supported = columns.Values<byte>(5).AppendSpan(samples);
        for (int i = 0, o = 0; i < hr.Length; i++, o += PpiSampleSize)
        {
            var sample = payload.Slice(o, PpiSampleSize);
            hr[i] = sample[0];
            pp[i] = BinaryPrimitives.ReadUInt16LittleEndian(sample[1..]);
            error[i] = BinaryPrimitives.ReadUInt16LittleEndian(sample[3..]);
            var flags = sample[5];
            blocker[i] = (byte)(flags & 0x01);
            contact[i] = (byte)((flags >> 1) & 0x01);
            supported[i] = (byte)((flags >> 2) & 0x01);
        }

        // PpiData.dataFromType0: the last beat is at the frame timestamp; each earlier one a PP interval before the next.
        var hubTimes = columns.HubTime.AppendSpan(samples);
        var deviceTimes = columns.DeviceTime!;
        if (timestamp == 0)
        {
            for (var i = 0; i < samples; i++)
            {
                deviceTimes.AppendNull();
            }
        }
        else
        {
            var times = deviceTimes.AppendSpan(samples);
            var device = (long)timestamp + SampleClock.UnixToY2000Ns;
            for (var i = samples - 1; i >= 0; i--)
            {
                times[i] = device;
                device -= pp[i] * NanosecondsPerMillisecond;
            }
        }

        var hub = hubTimeNs;
        for (var i = samples - 1; i >= 0; i--)
        {
            hubTimes[i] = hub;
            hub -= pp[i] * NanosecondsPerMillisecond;
        }

        return DecodeOutcome.Accepted;
    }

    private void AppendDeviceTimes(PrimitiveColumnBuffer<long> deviceTime, ulong timestamp, bool hasPrevious, ulong previous, int samples)
    {
        var times = deviceTime.AppendSpan(samples);
        var last = (long)timestamp + SampleClock.UnixToY2000Ns;
        if (hasPrevious)
        {
            // PmdTimeStampUtils: sample i = round(prev + (ts − prev)·(i+1)/n), computed exactly: whole part q per
            // step plus a Bresenham carry of the remainder (starting at n/2 rounds half up). Ends exactly at ts.
            var n = (ulong)samples;
            var span = timestamp - previous;
            var quotient = (long)(span / n);
            var remainder = span % n;
            var carry = n / 2;
            var t = (long)previous + SampleClock.UnixToY2000Ns;
            for (var i = 0; i < times.Length; i++)
            {
                // Branch-free carry (the pattern is irregular, so a branch would mispredict): all ones when carry ≥ n.
                carry += remainder;
                var wrap = (ulong)((long)(n - 1 - carry) >> 63);
                carry -= n & wrap;
                t += quotient + (long)(wrap & 1);
                times[i] = t;
            }
        }
        else
        {
            // First frame: 1/sampleRate apart, back from the frame timestamp: round(k · 1e9 / rate) half up, in
            // integers (k ≤ 4096, rate ≤ 10,000: no overflow).
            long rate = _settings.SampleRateHz;
            for (var i = 0; i < times.Length; i++)
            {
                long k = times.Length - 1 - i;
                times[i] = last - (((2 * k * SampleClock.NanosecondsPerSecond) + rate) / (2 * rate));
            }
        }
    }

    private static DecodeOutcome RejectRawLength(int length, int sampleSize) => length == 0
        ? DecodeOutcome.Reject(RejectReason.Truncated, $"PMD frame has no samples after its {PmdFrameHeader.Size}-byte header")
        : DecodeOutcome.Reject(RejectReason.Truncated,
            $"PMD samples are {sampleSize} bytes each; the {length} payload bytes end {length % sampleSize} byte(s) into sample {(length / sampleSize) + 1}");

    private static DecodeOutcome RejectDelta(PmdDeltaScan scan) => scan.Status switch
    {
        PmdDeltaScanStatus.TruncatedReference => DecodeOutcome.Truncated("PMD delta reference sample", scan.Needed, scan.Available),
        PmdDeltaScanStatus.TruncatedBlockHeader => DecodeOutcome.Truncated(
            $"PMD delta block header at payload byte {scan.Offset}", scan.Needed, scan.Available),
        PmdDeltaScanStatus.TruncatedBlock => DecodeOutcome.Truncated(
            $"PMD delta block at payload byte {scan.Offset} ({scan.DeltaBits}-bit deltas)", scan.Needed, scan.Available),
        PmdDeltaScanStatus.DeltaTooWide => DecodeOutcome.Reject(RejectReason.InvalidValue,
            $"PMD delta block at payload byte {scan.Offset} declares {scan.DeltaBits}-bit deltas, wider than the reference resolution or 32 bits"),
        PmdDeltaScanStatus.ZeroWidthDeltas => DecodeOutcome.Reject(RejectReason.InvalidValue,
            $"PMD delta block at payload byte {scan.Offset} declares samples with 0-bit deltas"),
        _ => DecodeOutcome.Reject(RejectReason.Oversized,
            $"PMD delta frame holds more than {DecodeLimits.MaxSamplesPerFrame} samples"),
    };
}
