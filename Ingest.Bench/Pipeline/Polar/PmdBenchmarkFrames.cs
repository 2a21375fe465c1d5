using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Simulation.Polar;

namespace Ingest.Bench.Pipeline.Polar;

/// <summary>Deterministic PMD frames for the benchmarks: realistic sizes and signal shapes.</summary>
public static class PmdBenchmarkFrames
{
    /// <summary>Frames per benchmark invocation.</summary>
    public const int FrameCount = 64;

    /// <summary>Sensor-time step between frames, generous so timestamps always increase.</summary>
    public const ulong FrameStepNs = 1_000_000_000;

    /// <summary>Rows a benchmark's columns hold before they are cleared, as a sealed batch would be.</summary>
    public const int BatchRows = 4096;

    /// <summary>Column capacity: a full batch plus the largest frame, so appending never grows the buffers.</summary>
    public const int Capacity = BatchRows + DecodeLimits.MaxSamplesPerFrame;

    /// <summary>Hub receive time given to every replayed frame.</summary>
    public const long HubTimeNs = 1_763_805_600_000_000_000;

    /// <summary>The copy baseline: each frame's payload (after the PMD header) copied once to <paramref name="target"/>.</summary>
    public static int CopyPayloads(byte[][] frames, byte[] target)
    {
        var total = 0;
        foreach (var frame in frames)
        {
            frame.AsSpan(PmdFrameHeader.Size).CopyTo(target);
            total += target[0];
        }

        return total;
    }

    /// <summary>
    /// Decodes every frame through <paramref name="stream"/> from a fresh decoder state (the frames' timestamps
    /// restart each invocation), clearing the columns whenever a batch is full. Returns the rows appended.
    /// </summary>
    public static int ReplayThroughStreamDecoder(StreamDecoder stream, byte[][] frames)
    {
        stream.Reset();
        var rows = 0;
        foreach (var frame in frames)
        {
            if (stream.Columns.RowCount >= BatchRows)
            {
                stream.Columns.Clear();
            }

            rows += stream.Decode(frame, HubTimeNs).Rows;
        }

        return rows;
    }

    /// <summary>
    /// Delta-compressed ACC type 1 frames of a 244-byte notification budget (MTU 247): a 16-bit accelerometer
    /// walk with small steps, blocks of 30 samples as the SDK's vectors show, as many samples as fit.
    /// </summary>
    public static byte[][] CompressedAcc(out int samplesPerFrame)
    {
        var random = new Random(42);
        var frames = new byte[FrameCount][];
        samplesPerFrame = 0;
        var buffer = new byte[4096];
        var x = 0;
        var y = 0;
        var z = 1000;
        for (var f = 0; f < FrameCount; f++)
        {
            // Find the largest sample count whose encoding fits 244 bytes (deterministic per frame).
            var values = new int[200 * 3];
            for (var i = 0; i < 200; i++)
            {
                x = Math.Clamp(x + random.Next(-6, 7), -8000, 8000);
                y = Math.Clamp(y + random.Next(-6, 7), -8000, 8000);
                z = Math.Clamp(z + random.Next(-6, 7), -8000, 8000);
                (values[3 * i], values[(3 * i) + 1], values[(3 * i) + 2]) = (x, y, z);
            }

            var count = 200;
            int length;
            while ((length = PmdFrameEncoder.EncodeDelta(buffer, PmdMeasurementType.Acc, (ulong)(f + 1) * FrameStepNs, 1, 3, 16, values.AsSpan(0, count * 3))) > 244)
            {
                count--;
            }

            frames[f] = buffer[..length];
            samplesPerFrame += count;
        }

        samplesPerFrame /= FrameCount;
        return frames;
    }

    /// <summary>ACC raw type 1 frames: 40 samples of int16 x, y, z = 240 payload bytes (250-byte notification).</summary>
    public static byte[][] RawAcc()
    {
        var random = new Random(7);
        var frames = new byte[FrameCount][];
        var x = new int[40];
        var y = new int[40];
        var z = new int[40];
        for (var f = 0; f < FrameCount; f++)
        {
            for (var i = 0; i < 40; i++)
            {
                x[i] = random.Next(-2000, 2000);
                y[i] = random.Next(-2000, 2000);
                z[i] = random.Next(-2000, 2000);
            }

            var frame = new byte[PmdFrameHeader.Size + 240];
            PmdFrameEncoder.EncodeAccRaw(frame, (ulong)(f + 1) * FrameStepNs, 1, x, y, z);
            frames[f] = frame;
        }

        return frames;
    }

    /// <summary>ECG raw type 0 frames as the H10 sends them: 73 int24 µV samples (229 bytes).</summary>
    public static byte[][] RawEcg()
    {
        var random = new Random(9);
        var frames = new byte[FrameCount][];
        var values = new int[73];
        for (var f = 0; f < FrameCount; f++)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.Next(-1500, 1500);
            }

            var frame = new byte[PmdFrameHeader.Size + (3 * values.Length)];
            PmdFrameEncoder.EncodeEcgRaw0(frame, (ulong)(f + 1) * FrameStepNs, values);
            frames[f] = frame;
        }

        return frames;
    }
}
