namespace Ingest.Bench.Pipeline.Polar;

/// <summary>
/// A deliberately naive delta decoder shaped like the Polar SDK's reference algorithm (one bool per bit, a list per
/// sample, boxed lists of lists), the "SDK-shaped port" G1.5 compares against (performance.md: 5–6 M samples/s).
/// Written for the benchmark from the format description, not used anywhere else.
/// </summary>
public static class SdkShapedDeltaParser
{
    /// <summary>Decodes a delta payload into a list of samples, each a list of channel values.</summary>
    public static List<List<int>> Parse(byte[] payload, int offset, int channels, int resolution)
    {
        var referenceBytes = (resolution + 7) / 8;
        var reference = new List<int>();
        for (var c = 0; c < channels; c++)
        {
            var value = 0;
            for (var b = referenceBytes - 1; b >= 0; b--)
            {
                value = (value << 8) | payload[offset + (c * referenceBytes) + b];
            }

            var mask = -1 << (resolution - 1);
            reference.Add((value & mask) != 0 ? value | mask : value);
        }

        var samples = new List<List<int>> { reference };
        var position = offset + (channels * referenceBytes);
        while (position < payload.Length)
        {
            int width = payload[position++];
            int count = payload[position++];
            var bitLength = count * width * channels;
            var length = (int)Math.Ceiling(bitLength / 8.0);
            var bits = new List<bool>();
            for (var i = 0; i < length; i++)
            {
                for (var k = 0; k < 8; k++)
                {
                    bits.Add((payload[position + i] & (1 << k)) != 0);
                }
            }

            var bit = 0;
            while (bit < bitLength)
            {
                var previous = samples[^1];
                var next = new List<int>();
                for (var c = 0; c < channels; c++)
                {
                    var slice = bits.GetRange(bit, width);
                    var value = 0;
                    for (var i = 0; i < slice.Count; i++)
                    {
                        value |= (slice[i] ? 1 : 0) << i;
                    }

                    if (width < 32 && (value & (1 << (width - 1))) != 0)
                    {
                        value |= -1 << width;
                    }

                    bit += width;
                    next.Add(previous[c] + value);
                }

                samples.Add(next);
            }

            position += length;
        }

        return samples;
    }
}
