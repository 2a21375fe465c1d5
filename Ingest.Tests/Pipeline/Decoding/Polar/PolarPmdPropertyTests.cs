using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Simulation.Polar;
using static Ingest.Tests.Pipeline.Decoding.Polar.PolarPmdTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>
/// Property tests: encode → decode round-trips exactly, and no input (random or a mutated valid frame) makes the
/// decoder throw or disturb rows committed before it.
/// </summary>
public sealed class PolarPmdPropertyTests
{
    private const long HubTime = 1_763_805_600_000_000_000;

    private static readonly string[] s_settings =
    [
        """{ "measurement": "ecg", "sampleRateHz": 130 }""",
        """{ "measurement": "ecg", "sampleRateHz": 130, "frameType": 1 }""",
        """{ "measurement": "ecg", "sampleRateHz": 130, "frameType": 2 }""",
        """{ "measurement": "ecg", "sampleRateHz": 130, "compressed": true }""",
        """{ "measurement": "acc", "sampleRateHz": 200, "frameType": 0 }""",
        """{ "measurement": "acc", "sampleRateHz": 200, "frameType": 1 }""",
        """{ "measurement": "acc", "sampleRateHz": 200, "frameType": 2 }""",
        """{ "measurement": "acc", "sampleRateHz": 52, "frameType": 0, "compressed": true }""",
        """{ "measurement": "acc", "sampleRateHz": 52, "frameType": 1, "compressed": true, "factor": 0.244140625 }""",
        """{ "measurement": "ppg", "sampleRateHz": 135 }""",
        """{ "measurement": "ppg", "sampleRateHz": 55, "compressed": true, "resolutionBits": 22 }""",
        """{ "measurement": "ppi" }""",
    ];

    private static readonly byte[] s_frameTypeBytes = [0x00, 0x01, 0x02, 0x80, 0x81, 0x03, 0x7F, 0xFF];

    [Fact]
    public void DeltaFrame_EncodeThenDecode_RoundTripsExactly()
    {
        var gen =
            from channels in Gen.Elements(1, 3, 4)
            from referenceBits in Gen.Elements(8, 16, 24, 32)
            from count in Gen.Choose(1, 160)
            from blockSamples in Gen.Choose(1, 255)
            from stepBits in Gen.Choose(0, referenceBits - 2)
            from seed in Gen.Choose(0, int.MaxValue)
            select (channels, referenceBits, count, blockSamples, Values: Walk(seed, count * channels, referenceBits, stepBits));

        Prop.ForAll(Arb.From(gen), c =>
        {
            var frame = new byte[8192];
            var length = PmdFrameEncoder.EncodeDelta(frame, PmdMeasurementType.Acc, 1_000_000, 1, c.channels, c.referenceBits, c.Values, c.blockSamples);
            var payload = frame.AsSpan(PmdFrameHeader.Size, length - PmdFrameHeader.Size);
            var scan = PmdDeltaCodec.Scan(payload, c.channels, c.referenceBits);
            if (!scan.IsOk || scan.Samples != c.count)
            {
                return false;
            }

            var outputs = new int[4][];
            for (var i = 0; i < 4; i++)
            {
                outputs[i] = new int[c.count];
            }

            PmdDeltaCodec.Decode(payload, c.channels, c.referenceBits, outputs[0], outputs[1], outputs[2], outputs[3]);
            for (var s = 0; s < c.count; s++)
            {
                for (var ch = 0; ch < c.channels; ch++)
                {
                    if (outputs[ch][s] != c.Values[(s * c.channels) + ch])
                    {
                        return false;
                    }
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void CompressedAccStream_EncodedFrames_DecodeToInputsWithFrameTimestampsLast()
    {
        var gen =
            from frames in Gen.Choose(1, 6)
            from count in Gen.Choose(1, 60)
            from stepBits in Gen.Choose(0, 12)
            from seed in Gen.Choose(0, int.MaxValue)
            select (frames, count, Values: Walk(seed, frames * count * 3, 16, stepBits));

        Prop.ForAll(Arb.From(gen), c =>
        {
            var stream = Stream("""{ "measurement": "acc", "sampleRateHz": 52, "frameType": 1, "compressed": true }""");
            var frame = new byte[DecodeLimits.MaxFrameBytes * 4];
            ulong ts = 700_000_000_000_000_000;
            for (var f = 0; f < c.frames; f++)
            {
                ts += (ulong)c.count * 19_230_769;
                var length = PmdFrameEncoder.EncodeDelta(frame, PmdMeasurementType.Acc, ts, 1, 3, 16, c.Values.AsSpan(f * c.count * 3, c.count * 3));
                var result = stream.Decode(frame.AsSpan(0, length), HubTime + f);
                if (!result.IsAccepted || result.Rows != c.count || stream.Columns.DeviceTime!.Values[^1] != (long)ts + Y2000)
                {
                    return false;
                }
            }

            var x = stream.Columns.Values<int>(0).Values;
            var z = stream.Columns.Values<int>(2).Values;
            for (var i = 0; i < x.Length; i++)
            {
                if (x[i] != c.Values[3 * i] || z[i] != c.Values[(3 * i) + 2])
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RawFrames_EncodeThenDecode_RoundTripExactly()
    {
        var gen =
            from layout in Gen.Choose(0, 4)
            from count in Gen.Choose(1, 40)
            from seed in Gen.Choose(0, int.MaxValue)
            select (layout, count, seed);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var random = new Random(c.seed);
            var frame = new byte[DecodeLimits.MaxFrameBytes];
            var n = c.count;
            int[] Values(int bits) => Enumerable.Range(0, n).Select(_ => random.Next(-(1 << (bits - 1)), 1 << (bits - 1))).ToArray();
            switch (c.layout)
            {
                case 0 or 1 or 2:
                    {
                        var bits = 8 * (c.layout + 1);
                        var (x, y, z) = (Values(bits), Values(bits), Values(bits));
                        var stream = Stream($$"""{ "measurement": "acc", "sampleRateHz": 100, "frameType": {{c.layout}} }""");
                        var length = PmdFrameEncoder.EncodeAccRaw(frame, 1, c.layout, x, y, z);
                        return stream.Decode(frame.AsSpan(0, length), 0).IsAccepted
                            && Widen(stream, 0).SequenceEqual(x) && Widen(stream, 1).SequenceEqual(y) && Widen(stream, 2).SequenceEqual(z);
                    }

                case 3:
                    {
                        var (a, b, d, e) = (Values(24), Values(24), Values(24), Values(24));
                        var stream = Stream("""{ "measurement": "ppg", "sampleRateHz": 135 }""");
                        var length = PmdFrameEncoder.EncodePpgRaw0(frame, 1, a, b, d, e);
                        return stream.Decode(frame.AsSpan(0, length), 0).IsAccepted
                            && Widen(stream, 0).SequenceEqual(a) && Widen(stream, 1).SequenceEqual(b)
                            && Widen(stream, 2).SequenceEqual(d) && Widen(stream, 3).SequenceEqual(e);
                    }

                default:
                    {
                        var ecg = Values(24);
                        var stream = Stream("""{ "measurement": "ecg", "sampleRateHz": 130 }""");
                        var length = PmdFrameEncoder.EncodeEcgRaw0(frame, 1, ecg);
                        var beats = new PmdPpiSample[n];
                        for (var i = 0; i < n; i++)
                        {
                            beats[i] = new PmdPpiSample((byte)random.Next(256), (ushort)random.Next(65536), (ushort)random.Next(65536), (byte)random.Next(8));
                        }

                        var ppi = Stream("""{ "measurement": "ppi" }""");
                        var ppiFrame = new byte[DecodeLimits.MaxFrameBytes];
                        var ppiLength = PmdFrameEncoder.EncodePpi(ppiFrame, 1_000_000_000_000, beats);
                        var ok = stream.Decode(frame.AsSpan(0, length), 0).IsAccepted && Widen(stream, 0).SequenceEqual(ecg)
                            && ppi.Decode(ppiFrame.AsSpan(0, ppiLength), 0).IsAccepted;
                        for (var i = 0; ok && i < n; i++)
                        {
                            var flags = (ppi.Columns.Values<byte>(3).Values[i] | (ppi.Columns.Values<byte>(4).Values[i] << 1) | (ppi.Columns.Values<byte>(5).Values[i] << 2));
                            ok = ppi.Columns.Values<byte>(0).Values[i] == beats[i].HeartRate
                                && ppi.Columns.Values<ushort>(1).Values[i] == beats[i].PpIntervalMs
                                && ppi.Columns.Values<ushort>(2).Values[i] == beats[i].ErrorEstimateMs
                                && flags == beats[i].Flags;
                        }

                        return ok;
                    }
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_RandomFrames_NeverThrowAndRejectionsKeepEarlierRows()
    {
        var gen =
            from settings in Gen.Choose(0, s_settings.Length - 1)
            from measurement in Gen.Frequency((4, Gen.Choose(0, 3)), (1, Gen.Choose(0, 255)))
            from frameType in Gen.Elements(s_frameTypeBytes)
            from timestamp in Gen.Choose(0, int.MaxValue)
            from body in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            from shortFrame in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (settings, Frame: shortFrame ? body : Frame(measurement, (ulong)timestamp, frameType, body));

        Prop.ForAll(Arb.From(gen), c => DecodeKeepsEarlierRows(s_settings[c.settings], c.Frame)).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void Decode_MutatedValidFrames_NeverThrowAndRejectionsKeepEarlierRows()
    {
        var gen =
            from settings in Gen.Choose(0, s_settings.Length - 1)
            from seed in Gen.Choose(0, int.MaxValue)
            from mutation in Gen.Choose(0, 4)
            from position in Gen.Choose(0, 600)
            from value in Gen.Choose(0, 255)
            select (settings, seed, mutation, position, value);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var json = s_settings[c.settings];
            var frame = ValidFrame(Create(json).Settings, c.seed, 2_000_000_000);
            var mutated = c.mutation switch
            {
                0 => Flip(frame, c.position % frame.Length, (byte)c.value),
                1 => frame[..(c.position % frame.Length)],
                2 => [.. frame, (byte)c.value],
                3 => Flip(frame, PmdFrameHeader.Size + (c.position % Math.Max(1, frame.Length - PmdFrameHeader.Size)), (byte)c.value),
                _ => Flip(frame, PmdFrameHeader.Size + 6 + (c.position % 2), (byte)c.value),
            };
            return DecodeKeepsEarlierRows(json, mutated);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    /// <summary>Decodes a valid frame, then <paramref name="frame"/>: no fault, and a rejection leaves the first frame's rows as they were.</summary>
    private static bool DecodeKeepsEarlierRows(string json, byte[] frame)
    {
        var decoder = Create(json);
        var stream = new StreamDecoder(decoder);
        var first = ValidFrame(decoder.Settings, 7, 1_000_000_000);
        var accepted = stream.Decode(first, HubTime);
        if (!accepted.IsAccepted)
        {
            return false;
        }

        var before = Snapshot(stream, accepted.Rows);
        var result = stream.Decode(frame, HubTime + 1);
        if (result.Reason == RejectReason.DecoderFault)
        {
            return false;
        }

        if (!result.IsAccepted)
        {
            return stream.Columns.RowCount == accepted.Rows && Snapshot(stream, accepted.Rows).SequenceEqual(before);
        }

        return stream.Columns.RowCount == accepted.Rows + result.Rows && Snapshot(stream, accepted.Rows).SequenceEqual(before);
    }

    /// <summary>The first <paramref name="rows"/> rows of every column, flattened.</summary>
    private static long[] Snapshot(StreamDecoder stream, int rows)
    {
        var columns = stream.Columns;
        var values = new List<long>();
        values.AddRange(columns.HubTime.Values[..rows].ToArray());
        values.AddRange(columns.DeviceTime!.Values[..rows].ToArray());
        for (var c = 0; c < columns.ValueColumnCount; c++)
        {
            switch (columns[c])
            {
                case Ingest.Pipeline.Columns.PrimitiveColumnBuffer<int> i: foreach (var v in i.Values[..rows]) { values.Add(v); } break;
                case Ingest.Pipeline.Columns.PrimitiveColumnBuffer<short> s: foreach (var v in s.Values[..rows]) { values.Add(v); } break;
                case Ingest.Pipeline.Columns.PrimitiveColumnBuffer<sbyte> b: foreach (var v in b.Values[..rows]) { values.Add(v); } break;
                case Ingest.Pipeline.Columns.PrimitiveColumnBuffer<byte> u: foreach (var v in u.Values[..rows]) { values.Add(v); } break;
                case Ingest.Pipeline.Columns.PrimitiveColumnBuffer<ushort> w: foreach (var v in w.Values[..rows]) { values.Add(v); } break;
                default: throw new InvalidOperationException("unexpected column type");
            }
        }

        return [.. values];
    }

    /// <summary>A well-formed frame for <paramref name="settings"/> with pseudo-random samples.</summary>
    internal static byte[] ValidFrame(PolarPmdSettings settings, int seed, ulong timestamp)
    {
        var random = new Random(seed);
        var frame = new byte[DecodeLimits.MaxFrameBytes];
        var count = random.Next(1, 20);
        var values = new int[count * settings.Channels];
        var bound = settings.Layout switch
        {
            PmdFrameLayout.AccRaw0 => 127,
            PmdFrameLayout.AccRaw1 => 32767,
            _ => 8_000_000,
        };
        if (settings.Compressed)
        {
            bound = (1 << (settings.ReferenceBits - 2)) - 1;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(-bound, bound);
        }

        int length;
        switch (settings.Layout)
        {
            case PmdFrameLayout.Delta:
                length = PmdFrameEncoder.EncodeDelta(frame, settings.Measurement, timestamp, settings.FrameType, settings.Channels, settings.ReferenceBits, values);
                break;
            case PmdFrameLayout.AccRaw0 or PmdFrameLayout.AccRaw1 or PmdFrameLayout.AccRaw2:
                var x = new int[count];
                var y = new int[count];
                var z = new int[count];
                for (var i = 0; i < count; i++)
                {
                    (x[i], y[i], z[i]) = (values[3 * i], values[(3 * i) + 1], values[(3 * i) + 2]);
                }

                length = PmdFrameEncoder.EncodeAccRaw(frame, timestamp, settings.FrameType, x, y, z);
                break;
            case PmdFrameLayout.PpgRaw0:
                var c0 = new int[count];
                var c1 = new int[count];
                var c2 = new int[count];
                var c3 = new int[count];
                for (var i = 0; i < count; i++)
                {
                    (c0[i], c1[i], c2[i], c3[i]) = (values[4 * i], values[(4 * i) + 1], values[(4 * i) + 2], values[(4 * i) + 3]);
                }

                length = PmdFrameEncoder.EncodePpgRaw0(frame, timestamp, c0, c1, c2, c3);
                break;
            case PmdFrameLayout.PpiRaw0:
                var beats = new PmdPpiSample[count];
                for (var i = 0; i < count; i++)
                {
                    beats[i] = new PmdPpiSample((byte)random.Next(40, 200), (ushort)random.Next(300, 1500), (ushort)random.Next(0, 50), (byte)random.Next(0, 8));
                }

                length = PmdFrameEncoder.EncodePpi(frame, timestamp, beats);
                break;
            default:
                // ECG raw types 0–2 share the 3-byte sample; the type byte is what differs.
                length = PmdFrameEncoder.EncodeEcgRaw0(frame, timestamp, values);
                frame[PmdFrameHeader.FrameTypeOffset] = settings.FrameTypeByte;
                break;
        }

        return frame[..length];
    }

    private static byte[] Frame(int measurement, ulong timestamp, byte frameType, byte[] body)
    {
        var frame = new byte[PmdFrameHeader.Size + body.Length];
        frame[0] = (byte)measurement;
        BitConverterLittleEndian(frame.AsSpan(1, 8), timestamp);
        frame[PmdFrameHeader.FrameTypeOffset] = frameType;
        body.CopyTo(frame, PmdFrameHeader.Size);
        return frame;
    }

    private static void BitConverterLittleEndian(Span<byte> destination, ulong value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, value);

    private static byte[] Flip(byte[] frame, int index, byte value)
    {
        var copy = (byte[])frame.Clone();
        if (index < copy.Length)
        {
            copy[index] ^= value == 0 ? (byte)0xFF : value;
        }

        return copy;
    }

    /// <summary>A random walk of <paramref name="length"/> values within <paramref name="bits"/>−1 bits signed, steps below 2^stepBits.</summary>
    private static int[] Walk(int seed, int length, int bits, int stepBits)
    {
        var random = new Random(seed);
        var limit = (1L << (bits - 2)) - 1;
        var step = 1L << stepBits;
        var values = new int[length];
        var v = random.NextInt64(-limit, limit + 1);
        for (var i = 0; i < length; i++)
        {
            v = Math.Clamp(v + random.NextInt64(-step, step + 1), -limit, limit);
            values[i] = (int)v;
        }

        return values;
    }

    private static int[] Widen(StreamDecoder stream, int column) => stream.Columns[column] switch
    {
        Ingest.Pipeline.Columns.PrimitiveColumnBuffer<sbyte> b => Array.ConvertAll(b.Values.ToArray(), v => (int)v),
        Ingest.Pipeline.Columns.PrimitiveColumnBuffer<short> h => Array.ConvertAll(h.Values.ToArray(), v => (int)v),
        Ingest.Pipeline.Columns.PrimitiveColumnBuffer<int> i => i.Values.ToArray(),
        _ => [],
    };
}
