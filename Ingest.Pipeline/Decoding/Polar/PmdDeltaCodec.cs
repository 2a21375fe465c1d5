using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// Polar PMD delta-compressed sample payloads (frame-type bit 7 set), decoded exactly as
/// <c>BlePMDClient.parseDeltaFramesAll</c> in polar-ble-sdk defines them (protocols.md §4.8):
/// <list type="number">
/// <item>a reference sample: per channel <c>ceil(R/8)</c> bytes LE, sign-extended from R bits (if any bit ≥ R−1 is
/// set the value is OR-ed with <c>-1 &lt;&lt; (R−1)</c>); it is output as sample 0;</item>
/// <item>blocks until the end: <c>deltaBits u8 | sampleCount u8 | ceil(sampleCount·C·deltaBits/8) bytes</c>, each
/// block byte-aligned; the packed bits are an LSB-first little-endian stream, deltas channel-interleaved
/// (s1c0, s1c1, …), the first bit read being the delta's LSB;</item>
/// <item>each delta is two's complement in deltaBits bits (a 1-bit delta of 1 is −1: the SDK's mask
/// <c>Int.MAX_VALUE shl (w−1)</c> gets w = 1 wrong; we do not copy that quirk), and
/// <c>sample[n][c] = sample[n−1][c] + delta[n][c]</c> in int32 wrap-around arithmetic.</item>
/// </list>
/// Decoding reads the bit stream 64 bits at a time: one unaligned load yields a whole sample's deltas whenever
/// <c>C·deltaBits ≤ 57</c> (the common case), else one load per delta. Callers must <see cref="Scan"/> first;
/// <see cref="Decode"/> trusts a payload that scanned <see cref="PmdDeltaScanStatus.Ok"/>.
/// </summary>
public static class PmdDeltaCodec
{
    /// <summary>Channels a payload may interleave (PPG type 0 has four: three LEDs and ambient).</summary>
    public const int MaxChannels = 4;

    /// <summary>Widest delta: deltas are added in int32 arithmetic.</summary>
    public const int MaxDeltaBits = 32;

    /// <summary>Bytes of a block header: deltaBits, sampleCount.</summary>
    public const int BlockHeaderSize = 2;

    /// <summary>Bits a single 64-bit load is guaranteed to expose after shifting out up to 7 leading bits.</summary>
    private const int BitsPerLoad = 57;

    /// <summary>Reference-sample bytes per channel for resolution <paramref name="referenceBits"/>.</summary>
    public static int ReferenceBytes(int referenceBits) => (referenceBits + 7) >> 3;

    /// <summary>
    /// Checks the structure of <paramref name="payload"/> (the bytes after the PMD header) and counts its samples
    /// without decoding them. Never throws; the bounds of every block are checked before it is used.
    /// </summary>
    public static PmdDeltaScan Scan(ReadOnlySpan<byte> payload, int channels, int referenceBits)
    {
        var referenceSize = ReferenceBytes(referenceBits) * channels;
        if (payload.Length < referenceSize)
        {
            return new PmdDeltaScan(PmdDeltaScanStatus.TruncatedReference, 0, 0, 0, referenceSize, payload.Length);
        }

        var samples = 1;
        var offset = referenceSize;
        while (offset < payload.Length)
        {
            var remaining = payload.Length - offset;
            if (remaining < BlockHeaderSize)
            {
                return new PmdDeltaScan(PmdDeltaScanStatus.TruncatedBlockHeader, 0, offset, 0, BlockHeaderSize, remaining);
            }

            int deltaBits = payload[offset];
            int count = payload[offset + 1];
            if (deltaBits > referenceBits || deltaBits > MaxDeltaBits)
            {
                return new PmdDeltaScan(PmdDeltaScanStatus.DeltaTooWide, 0, offset, deltaBits, 0, 0);
            }

            if (deltaBits == 0 && count != 0)
            {
                return new PmdDeltaScan(PmdDeltaScanStatus.ZeroWidthDeltas, 0, offset, 0, 0, 0);
            }

            // At most 255 · 4 · 32 bits: no overflow.
            var packed = ((count * channels * deltaBits) + 7) >> 3;
            if (packed > remaining - BlockHeaderSize)
            {
                return new PmdDeltaScan(PmdDeltaScanStatus.TruncatedBlock, 0, offset, deltaBits, BlockHeaderSize + packed, remaining);
            }

            samples += count;
            if (samples > DecodeLimits.MaxSamplesPerFrame)
            {
                return new PmdDeltaScan(PmdDeltaScanStatus.TooManySamples, samples, offset, deltaBits, 0, 0);
            }

            offset += BlockHeaderSize + packed;
        }

        return new PmdDeltaScan(PmdDeltaScanStatus.Ok, samples, 0, 0, 0, 0);
    }

    /// <summary>
    /// Decodes a payload that <see cref="Scan"/> accepted into one span per channel (each exactly
    /// <see cref="PmdDeltaScan.Samples"/> long; spans beyond <paramref name="channels"/> are ignored).
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> payload, int channels, int referenceBits, Span<int> c0, Span<int> c1, Span<int> c2, Span<int> c3)
    {
        var referenceBytes = ReferenceBytes(referenceBits);
        var a = ReadReference(payload, 0, referenceBytes, referenceBits);
        var b = channels > 1 ? ReadReference(payload, referenceBytes, referenceBytes, referenceBits) : 0;
        var c = channels > 2 ? ReadReference(payload, 2 * referenceBytes, referenceBytes, referenceBits) : 0;
        var d = channels > 3 ? ReadReference(payload, 3 * referenceBytes, referenceBytes, referenceBits) : 0;
        c0[0] = a;
        if (channels > 1)
        {
            c1[0] = b;
        }

        if (channels > 2)
        {
            c2[0] = c;
        }

        if (channels > 3)
        {
            c3[0] = d;
        }

        var row = 1;
        var offset = referenceBytes * channels;
        while (offset < payload.Length)
        {
            int deltaBits = payload[offset];
            int count = payload[offset + 1];
            var bit = (offset + BlockHeaderSize) << 3;
            if (count != 0)
            {
                if (channels * deltaBits <= BitsPerLoad)
                {
                    switch (channels)
                    {
                        case 1:
                            DecodeBlock1(payload, bit, deltaBits, ref a, c0.Slice(row, count));
                            break;
                        case 3:
                            DecodeBlock3(payload, bit, deltaBits, ref a, ref b, ref c, c0.Slice(row, count), c1.Slice(row, count), c2.Slice(row, count));
                            break;
                        default:
                            DecodeBlockWide(payload, bit, deltaBits, channels, ref a, ref b, ref c, ref d, c0, c1, c2, c3, row, count);
                            break;
                    }
                }
                else
                {
                    DecodeBlockWide(payload, bit, deltaBits, channels, ref a, ref b, ref c, ref d, c0, c1, c2, c3, row, count);
                }
            }

            row += count;
            offset += BlockHeaderSize + (((count * channels * deltaBits) + 7) >> 3);
        }
    }

    /// <summary>Reads one reference value: <paramref name="size"/> bytes LE, sign-extended from <paramref name="referenceBits"/> as the SDK does.</summary>
    public static int ReadReference(ReadOnlySpan<byte> payload, int offset, int size, int referenceBits)
    {
        var raw = 0u;
        for (var i = size - 1; i >= 0; i--)
        {
            raw = (raw << 8) | payload[offset + i];
        }

        // parseDeltaFrameRefSamples: any bit at or above R−1 set → OR with -1 << (R−1).
        var mask = uint.MaxValue << (referenceBits - 1);
        if ((raw & mask) != 0)
        {
            raw |= mask;
        }

        return unchecked((int)raw);
    }

    /// <summary>Two's-complement value of the low <paramref name="width"/> bits of <paramref name="bits"/> (1 ≤ width ≤ 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SignExtend(ulong bits, int width) => (int)((long)(bits << (64 - width)) >> (64 - width));

    /// <summary>At least 57 bits of the stream starting at bit <paramref name="bit"/>, in the low bits (zeros past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Load(ReadOnlySpan<byte> payload, int bit)
    {
        var index = bit >> 3;
        var word = index <= payload.Length - sizeof(ulong)
            ? BinaryPrimitives.ReadUInt64LittleEndian(payload.Slice(index, sizeof(ulong)))
            : LoadTail(payload, index);
        return word >> (bit & 7);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong LoadTail(ReadOnlySpan<byte> payload, int index)
    {
        var word = 0UL;
        for (var i = payload.Length - 1; i >= index; i--)
        {
            word = (word << 8) | payload[i];
        }

        return word;
    }

    private static void DecodeBlock1(ReadOnlySpan<byte> payload, int bit, int w, ref int a, Span<int> x)
    {
        var acc = a;
        for (var s = 0; s < x.Length; s++)
        {
            acc = unchecked(acc + SignExtend(Load(payload, bit), w));
            x[s] = acc;
            bit += w;
        }

        a = acc;
    }

    private static void DecodeBlock3(ReadOnlySpan<byte> payload, int bit, int w, ref int a, ref int b, ref int c, Span<int> x, Span<int> y, Span<int> z)
    {
        var ax = a;
        var ay = b;
        var az = c;
        var w2 = w + w;
        var step = w2 + w;
        y = y[..x.Length];
        z = z[..x.Length];
        for (var s = 0; s < x.Length; s++)
        {
            // 3·w ≤ 57: one load holds the whole sample.
            var v = Load(payload, bit);
            ax = unchecked(ax + SignExtend(v, w));
            ay = unchecked(ay + SignExtend(v >> w, w));
            az = unchecked(az + SignExtend(v >> w2, w));
            x[s] = ax;
            y[s] = ay;
            z[s] = az;
            bit += step;
        }

        a = ax;
        b = ay;
        c = az;
    }

    private static void DecodeBlockWide(
        ReadOnlySpan<byte> payload, int bit, int w, int channels,
        ref int a, ref int b, ref int c, ref int d,
        Span<int> c0, Span<int> c1, Span<int> c2, Span<int> c3, int row, int count)
    {
        var end = row + count;
        for (var r = row; r < end; r++)
        {
            a = unchecked(a + SignExtend(Load(payload, bit), w));
            c0[r] = a;
            bit += w;
            if (channels > 1)
            {
                b = unchecked(b + SignExtend(Load(payload, bit), w));
                c1[r] = b;
                bit += w;
            }

            if (channels > 2)
            {
                c = unchecked(c + SignExtend(Load(payload, bit), w));
                c2[r] = c;
                bit += w;
            }

            if (channels > 3)
            {
                d = unchecked(d + SignExtend(Load(payload, bit), w));
                c3[r] = d;
                bit += w;
            }
        }
    }
}
