using System.Buffers.Binary;
using System.Numerics;
using Ingest.Pipeline.Decoding.Polar;

namespace Ingest.Pipeline.Simulation.Polar;

/// <summary>
/// Writes Polar PMD DATA frames (protocols.md §4.8) for the simulator and for round-trip tests: raw ECG, ACC,
/// PPG and PPI frames and delta-compressed frames, the exact inverse of <see cref="PolarPmdDecoder"/>. Each method
/// writes into <c>destination</c> and returns the frame length; arguments that cannot be encoded throw
/// <see cref="ArgumentException"/> (this is test and simulation code, never fed untrusted input).
/// </summary>
public static class PmdFrameEncoder
{
    /// <summary>Most samples one delta block can declare (its count is a byte).</summary>
    public const int MaxBlockSamples = 255;

    /// <summary>ECG raw type 0: int24 µV per sample.</summary>
    public static int EncodeEcgRaw0(Span<byte> destination, ulong timestamp, ReadOnlySpan<int> microVolts)
    {
        var length = checked(PmdFrameHeader.Size + (microVolts.Length * 3));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Ecg, timestamp, 0, compressed: false);
        var o = PmdFrameHeader.Size;
        foreach (var value in microVolts)
        {
            WriteInt24(destination, o, value);
            o += 3;
        }

        return length;
    }

    /// <summary>
    /// ECG raw type 1: a 14-bit unsigned µV value in bits 0–13 of bytes 0–1, and in byte 2 oversampling (bit 0), skin
    /// contact (bits 1–2) and contact impedance (bits 3–4).
    /// </summary>
    public static int EncodeEcgRaw1(Span<byte> destination, ulong timestamp, ReadOnlySpan<int> microVolts,
        ReadOnlySpan<byte> overSampling, ReadOnlySpan<byte> skinContact, ReadOnlySpan<byte> contactImpedance)
    {
        SameLength(microVolts.Length, overSampling.Length, skinContact.Length, contactImpedance.Length);
        var length = checked(PmdFrameHeader.Size + (microVolts.Length * 3));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Ecg, timestamp, 1, compressed: false);
        var o = PmdFrameHeader.Size;
        for (var i = 0; i < microVolts.Length; i++)
        {
            CheckRange(microVolts[i], 0, 0x3FFF, "type 1 ECG value");
            CheckRange(overSampling[i], 0, 1, "oversampling bit");
            CheckRange(skinContact[i], 0, 3, "skin contact bits");
            CheckRange(contactImpedance[i], 0, 3, "contact impedance bits");
            destination[o] = (byte)microVolts[i];
            destination[o + 1] = (byte)(microVolts[i] >> 8);
            destination[o + 2] = (byte)(overSampling[i] | (skinContact[i] << 1) | (contactImpedance[i] << 3));
            o += 3;
        }

        return length;
    }

    /// <summary>
    /// ECG raw type 2: an 18-bit unsigned µV value in bytes 0–1 and bits 0–1 of byte 2; ECG data tag in bits 2–4 and pace
    /// data tag in bits 5–7 of byte 2.
    /// </summary>
    public static int EncodeEcgRaw2(Span<byte> destination, ulong timestamp, ReadOnlySpan<int> microVolts,
        ReadOnlySpan<byte> ecgDataTag, ReadOnlySpan<byte> paceDataTag)
    {
        SameLength(microVolts.Length, ecgDataTag.Length, paceDataTag.Length, microVolts.Length);
        var length = checked(PmdFrameHeader.Size + (microVolts.Length * 3));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Ecg, timestamp, 2, compressed: false);
        var o = PmdFrameHeader.Size;
        for (var i = 0; i < microVolts.Length; i++)
        {
            CheckRange(microVolts[i], 0, 0x3FFFF, "type 2 ECG value");
            CheckRange(ecgDataTag[i], 0, 7, "ECG data tag");
            CheckRange(paceDataTag[i], 0, 7, "pace data tag");
            destination[o] = (byte)microVolts[i];
            destination[o + 1] = (byte)(microVolts[i] >> 8);
            destination[o + 2] = (byte)((microVolts[i] >> 16) | (ecgDataTag[i] << 2) | (paceDataTag[i] << 5));
            o += 3;
        }

        return length;
    }

    /// <summary>ECG raw type 3: two int24 LE data fields and a status byte per sample (7 bytes).</summary>
    public static int EncodeEcgRaw3(Span<byte> destination, ulong timestamp, ReadOnlySpan<int> data0, ReadOnlySpan<int> data1, ReadOnlySpan<byte> status)
    {
        SameLength(data0.Length, data1.Length, status.Length, data0.Length);
        var length = checked(PmdFrameHeader.Size + (data0.Length * 7));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Ecg, timestamp, 3, compressed: false);
        var o = PmdFrameHeader.Size;
        for (var i = 0; i < data0.Length; i++)
        {
            WriteInt24(destination, o, data0[i]);
            WriteInt24(destination, o + 3, data1[i]);
            destination[o + 6] = status[i];
            o += 7;
        }

        return length;
    }

    /// <summary>ACC raw type 0 (int8), 1 (int16 LE) or 2 (int24 LE): x, y, z per sample, mG.</summary>
    public static int EncodeAccRaw(Span<byte> destination, ulong timestamp, int frameType, ReadOnlySpan<int> x, ReadOnlySpan<int> y, ReadOnlySpan<int> z)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)frameType, 2u, nameof(frameType));
        if (y.Length != x.Length || z.Length != x.Length)
        {
            throw new ArgumentException("x, y and z must have the same length");
        }

        var width = frameType + 1;
        var length = checked(PmdFrameHeader.Size + (x.Length * 3 * width));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Acc, timestamp, frameType, compressed: false);
        var o = PmdFrameHeader.Size;
        for (var i = 0; i < x.Length; i++)
        {
            WriteSigned(destination, o, x[i], width);
            WriteSigned(destination, o + width, y[i], width);
            WriteSigned(destination, o + (2 * width), z[i], width);
            o += 3 * width;
        }

        return length;
    }

    /// <summary>PPG raw type 0: three LED channels and ambient, int24 LE each.</summary>
    public static int EncodePpgRaw0(Span<byte> destination, ulong timestamp, ReadOnlySpan<int> ppg0, ReadOnlySpan<int> ppg1, ReadOnlySpan<int> ppg2, ReadOnlySpan<int> ambient)
    {
        if (ppg1.Length != ppg0.Length || ppg2.Length != ppg0.Length || ambient.Length != ppg0.Length)
        {
            throw new ArgumentException("all channels must have the same length");
        }

        var length = checked(PmdFrameHeader.Size + (ppg0.Length * 12));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Ppg, timestamp, 0, compressed: false);
        var o = PmdFrameHeader.Size;
        for (var i = 0; i < ppg0.Length; i++)
        {
            WriteInt24(destination, o, ppg0[i]);
            WriteInt24(destination, o + 3, ppg1[i]);
            WriteInt24(destination, o + 6, ppg2[i]);
            WriteInt24(destination, o + 9, ambient[i]);
            o += 12;
        }

        return length;
    }

    /// <summary>PPI type 0: 6 bytes per beat.</summary>
    public static int EncodePpi(Span<byte> destination, ulong timestamp, ReadOnlySpan<PmdPpiSample> beats)
    {
        var length = checked(PmdFrameHeader.Size + (beats.Length * 6));
        PmdFrameHeader.Write(destination[..length], PmdMeasurementType.Ppi, timestamp, 0, compressed: false);
        var o = PmdFrameHeader.Size;
        foreach (var beat in beats)
        {
            destination[o] = beat.HeartRate;
            BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(o + 1, 2), beat.PpIntervalMs);
            BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(o + 3, 2), beat.ErrorEstimateMs);
            destination[o + 5] = beat.Flags;
            o += 6;
        }

        return length;
    }

    /// <summary>
    /// A delta-compressed frame: <paramref name="samples"/> holds <c>n × channels</c> values, sample-major
    /// (s0c0, s0c1, …). The first sample is the reference (written in <c>ceil(referenceBits/8)</c> bytes per
    /// channel); the rest go into blocks of at most <paramref name="blockSamples"/> samples, each with the narrowest
    /// delta width that holds its deltas (at least 1 bit). Values must fit <paramref name="referenceBits"/> bits
    /// signed and consecutive deltas must fit them too.
    /// </summary>
    public static int EncodeDelta(
        Span<byte> destination, PmdMeasurementType measurement, ulong timestamp, int frameType,
        int channels, int referenceBits, ReadOnlySpan<int> samples, int blockSamples = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, PmdDeltaCodec.MaxChannels);
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(referenceBits, PmdDeltaCodec.MaxDeltaBits);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSamples, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSamples, MaxBlockSamples);
        if (samples.Length == 0 || samples.Length % channels != 0)
        {
            throw new ArgumentException("samples must hold at least one whole sample of every channel", nameof(samples));
        }

        PmdFrameHeader.Write(destination, measurement, timestamp, frameType, compressed: true);
        var o = PmdFrameHeader.Size;
        var referenceBytes = PmdDeltaCodec.ReferenceBytes(referenceBits);
        for (var c = 0; c < channels; c++)
        {
            var value = samples[c];
            if (SignedBits(value) > referenceBits)
            {
                throw new ArgumentException($"reference value {value} does not fit {referenceBits} bits", nameof(samples));
            }

            var raw = (uint)value;
            for (var b = 0; b < referenceBytes; b++)
            {
                destination[o++] = (byte)(raw >> (8 * b));
            }
        }

        var count = samples.Length / channels;
        for (var start = 1; start < count; start += blockSamples)
        {
            var n = Math.Min(blockSamples, count - start);
            var width = 1;
            for (var s = start; s < start + n; s++)
            {
                for (var c = 0; c < channels; c++)
                {
                    width = Math.Max(width, SignedBits(Delta(samples, channels, s, c)));
                }
            }

            if (width > referenceBits)
            {
                throw new ArgumentException($"a delta needs {width} bits, more than the {referenceBits}-bit resolution", nameof(samples));
            }

            destination[o++] = (byte)width;
            destination[o++] = (byte)n;
            var packed = ((n * channels * width) + 7) >> 3;
            var block = destination.Slice(o, packed);
            block.Clear();
            var bit = 0;
            var mask = width == 32 ? uint.MaxValue : (1u << width) - 1;
            for (var s = start; s < start + n; s++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var bits = (uint)Delta(samples, channels, s, c) & mask;
                    for (var k = 0; k < width; k++, bit++)
                    {
                        if ((bits & (1u << k)) != 0)
                        {
                            block[bit >> 3] |= (byte)(1 << (bit & 7));
                        }
                    }
                }
            }

            o += packed;
        }

        return o;
    }

    private static void SameLength(int a, int b, int c, int d)
    {
        if (b != a || c != a || d != a)
        {
            throw new ArgumentException("every field needs one value per sample");
        }
    }

    private static void CheckRange(int value, int min, int max, string what)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} must be from {min} to {max}");
        }
    }

    /// <summary>Bits a two's-complement representation of <paramref name="value"/> needs (1 for 0 and −1).</summary>
    public static int SignedBits(int value) => 33 - BitOperations.LeadingZeroCount((uint)(value ^ (value >> 31)));

    private static int Delta(ReadOnlySpan<int> samples, int channels, int sample, int channel) =>
        unchecked(samples[(sample * channels) + channel] - samples[((sample - 1) * channels) + channel]);

    private static void WriteInt24(Span<byte> destination, int offset, int value) => WriteSigned(destination, offset, value, 3);

    private static void WriteSigned(Span<byte> destination, int offset, int value, int width)
    {
        if (SignedBits(value) > width * 8)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {width * 8} bits");
        }

        for (var b = 0; b < width; b++)
        {
            destination[offset + b] = (byte)(value >> (8 * b));
        }
    }
}
