using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Polar;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Bench.Arrow;

/// <summary>
/// Batches for the compression figures, decoded by the real decoders: simulated streams (Polar H10 ECG 130 Hz and
/// ACC 200 Hz, Verity Sense PPG 55 Hz, a SIG heart-rate strap at 1 Hz with RR intervals) built with the frame
/// encoders from deterministic, physiologically shaped signals, and every shipped capture decoded whole.
/// </summary>
public static class CompressionStreams
{
    /// <summary>Hub time of the first simulated notification.</summary>
    public const long StartNs = 1_763_805_600_000_000_000;

    /// <summary>The simulated streams' names.</summary>
    public static IReadOnlyList<string> Simulated { get; } = ["ecg", "acc", "ppg", "hr"];

    /// <summary>A simulated stream of at least <paramref name="rows"/> rows (whole notifications: up to one frame more), and what it is.</summary>
    public static (StreamColumns Columns, StreamDescription Description) Simulate(string stream, int rows) =>
        (Replay(CreateDecoder(stream, rows), Frames(stream, rows), rows), Describe(stream));

    /// <summary>A fresh stream decoder for a simulated stream, sized for <paramref name="initialRows"/>.</summary>
    public static StreamDecoder CreateDecoder(string stream, int initialRows) => stream switch
    {
        "ecg" => Pmd("""{"measurement": "ecg", "sampleRateHz": 130, "resolutionBits": 14}""", initialRows),
        "acc" => Pmd("""{"measurement": "acc", "sampleRateHz": 200, "frameType": 1, "resolutionBits": 16}""", initialRows),
        "ppg" => Pmd("""{"measurement": "ppg", "sampleRateHz": 55, "frameType": 0, "resolutionBits": 22}""", initialRows),
        "hr" => new StreamDecoder(new HeartRateMeasurementDecoder(), initialRows: initialRows),
        _ => throw UnknownStream(stream),
    };

    /// <summary>The profile and decoder a simulated stream stands for.</summary>
    public static StreamDescription Describe(string stream) => stream switch
    {
        "ecg" or "acc" => new("polar-h10", "sim", "polar-pmd"),
        "ppg" => new("polar-verity-sense", "sim", "polar-pmd"),
        "hr" => new("generic-heart-rate-strap", "sim", HeartRateMeasurementDecoder.Name),
        _ => throw UnknownStream(stream),
    };

    /// <summary>
    /// The notifications of a simulated stream carrying at least <paramref name="rows"/> samples, each with the hub time
    /// it arrives at (starting at <see cref="StartNs"/>, spaced as the tracker sends them).
    /// </summary>
    public static IEnumerable<(byte[] Frame, long HubTimeNs)> Frames(string stream, int rows) => stream switch
    {
        "ecg" => EcgFrames(rows),
        "acc" => AccFrames(rows),
        "ppg" => PpgFrames(rows),
        "hr" => HeartRateFrames(rows),
        _ => throw UnknownStream(stream),
    };

    private static ArgumentException UnknownStream(string stream) =>
        new($"unknown simulated stream '{stream}'; known: {string.Join(", ", Simulated)}", nameof(stream));

    /// <summary>Every shipped capture stream decoded whole into one batch, named profile/stream.</summary>
    public static IEnumerable<(string Name, StreamColumns Columns, StreamDescription Description)> Captures()
    {
        var directory = ShippedProfiles();
        foreach (var profile in ProfileLoader.LoadAll(directory))
        {
            foreach (var stream in profile.Streams)
            {
                if (stream.Captures.Count == 0)
                {
                    continue;
                }

                var decoder = new StreamDecoder(stream.CreateDecoder(), initialRows: 1024);
                foreach (var capture in stream.Captures)
                {
                    using var reader = File.OpenRead(capture.CapturePath);
                    foreach (var line in CaptureReader.Read(reader))
                    {
                        if (line.Error is null)
                        {
                            decoder.Decode(line.Frame, line.HubTimeNs);
                        }
                    }
                }

                yield return ($"{profile.Id}/{stream.Id}", decoder.Columns, new StreamDescription(profile.Id, profile.Version, stream.Decoder.Name));
            }
        }
    }

    // BenchmarkDotNet runs each benchmark from a generated folder under Ingest.Bench/bin, so look upwards for the repository's profiles.
    internal static string ShippedProfiles()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "firmware-profiles");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "WearableIngest.sln")))
            {
                return candidate;
            }
        }

        return ProfileLoader.ResolveDirectory(null);
    }

    private static StreamDecoder Pmd(string settings, int initialRows) =>
        new(PolarPmdDecoder.Factory.Create(DecoderSettings.Parse(settings, "bench", "$.settings")), initialRows: initialRows);

    private static StreamColumns Replay(StreamDecoder decoder, IEnumerable<(byte[] Frame, long HubTimeNs)> frames, int rows)
    {
        foreach (var (frame, hubTime) in frames)
        {
            if (decoder.Columns.RowCount >= rows)
            {
                break;
            }

            var result = decoder.Decode(frame, hubTime);
            if (result.Rows == 0)
            {
                throw new InvalidOperationException($"a simulated frame was rejected: {result}");
            }
        }

        return decoder.Columns;
    }

    private static IEnumerable<(byte[], long)> EcgFrames(int rows)
    {
        const int perFrame = 73; // what a Polar H10 sends per notification at 130 Hz
        var random = new Random(1);
        var sample = 0;
        ulong sensorNs = 700_000_000_000_000_000;
        var buffer = new byte[1024];
        var values = new int[perFrame];
        while (sample < rows + perFrame)
        {
            for (var i = 0; i < perFrame; i++, sample++)
            {
                values[i] = Ecg(sample / 130.0, random);
            }

            sensorNs += (ulong)(perFrame * 1_000_000_000L / 130);
            var length = PmdFrameEncoder.EncodeEcgRaw0(buffer, sensorNs, values);
            yield return (buffer[..length], StartNs + (sample * 1_000_000_000L / 130));
        }
    }

    // A PQRST-shaped beat at 72/min in µV with baseline wander and noise.
    private static int Ecg(double t, Random random)
    {
        var phase = (t * 1.2) % 1.0;
        var value = (1100 * Math.Exp(-Math.Pow((phase - 0.40) / 0.012, 2)))
            - (150 * Math.Exp(-Math.Pow((phase - 0.37) / 0.01, 2)))
            - (250 * Math.Exp(-Math.Pow((phase - 0.43) / 0.012, 2)))
            + (120 * Math.Exp(-Math.Pow((phase - 0.20) / 0.03, 2)))
            + (300 * Math.Exp(-Math.Pow((phase - 0.65) / 0.05, 2)))
            + (80 * Math.Sin(2 * Math.PI * 0.25 * t));
        return (int)value + random.Next(-15, 16);
    }

    private static IEnumerable<(byte[], long)> AccFrames(int rows)
    {
        const int perFrame = 36;
        var random = new Random(2);
        var sample = 0;
        ulong sensorNs = 700_000_000_000_000_000;
        var buffer = new byte[1024];
        var x = new int[perFrame];
        var y = new int[perFrame];
        var z = new int[perFrame];
        double vx = 0, vy = 0;
        while (sample < rows + perFrame)
        {
            for (var i = 0; i < perFrame; i++, sample++)
            {
                // Chest strap on a walking person: gravity on z, a 1.8 Hz step rhythm, sensor noise of a few mG.
                var t = sample / 200.0;
                vx = (0.95 * vx) + random.Next(-8, 9);
                vy = (0.95 * vy) + random.Next(-8, 9);
                x[i] = (int)(vx + (120 * Math.Sin(2 * Math.PI * 1.8 * t)));
                y[i] = (int)(vy + (60 * Math.Sin(2 * Math.PI * 0.9 * t)));
                z[i] = 1000 + (int)(200 * Math.Sin(2 * Math.PI * 1.8 * t)) + random.Next(-4, 5);
            }

            sensorNs += (ulong)(perFrame * 1_000_000_000L / 200);
            var length = PmdFrameEncoder.EncodeAccRaw(buffer, sensorNs, 1, x, y, z);
            yield return (buffer[..length], StartNs + (sample * 1_000_000_000L / 200));
        }
    }

    private static IEnumerable<(byte[], long)> PpgFrames(int rows)
    {
        const int perFrame = 20;
        var random = new Random(3);
        var sample = 0;
        ulong sensorNs = 700_000_000_000_000_000;
        var buffer = new byte[1024];
        var ppg0 = new int[perFrame];
        var ppg1 = new int[perFrame];
        var ppg2 = new int[perFrame];
        var ambient = new int[perFrame];
        while (sample < rows + perFrame)
        {
            for (var i = 0; i < perFrame; i++, sample++)
            {
                // Pulse at 70/min riding on respiration at 15/min, three green LEDs and ambient light.
                var t = sample / 55.0;
                var pulse = (4000 * Math.Sin(2 * Math.PI * 70 / 60 * t)) + (1500 * Math.Sin(2 * Math.PI * 140 / 60 * t));
                var breath = 6000 * Math.Sin(2 * Math.PI * 0.25 * t);
                ppg0[i] = 500_000 + (int)(pulse + breath) + random.Next(-200, 201);
                ppg1[i] = 520_000 + (int)(0.9 * (pulse + breath)) + random.Next(-200, 201);
                ppg2[i] = 480_000 + (int)(1.1 * (pulse + breath)) + random.Next(-200, 201);
                ambient[i] = 12_000 + random.Next(-50, 51);
            }

            sensorNs += (ulong)(perFrame * 1_000_000_000L / 55);
            var length = PmdFrameEncoder.EncodePpgRaw0(buffer, sensorNs, ppg0, ppg1, ppg2, ambient);
            yield return (buffer[..length], StartNs + (sample * 1_000_000_000L / 55));
        }
    }

    private static IEnumerable<(byte[], long)> HeartRateFrames(int rows)
    {
        var random = new Random(4);
        var buffer = new byte[32];
        double heartRate = 72;
        ushort energy = 0;
        for (var i = 0; i < rows; i++)
        {
            heartRate = Math.Clamp(heartRate + ((random.NextDouble() - 0.5) * 2), 50, 160);
            var rr = (ushort)(60 * 1024 / heartRate);
            ushort[] intervals = i % 3 == 0 ? [rr, (ushort)(rr + random.Next(-20, 21))] : [rr];
            if (i % 10 == 0)
            {
                energy += 1;
            }

            var measurement = new HeartRateMeasurement((ushort)heartRate, false, 3, i % 10 == 0 ? energy : null, intervals);
            var length = HeartRateMeasurementEncoder.Encode(measurement, buffer);
            yield return (buffer[..length], StartNs + (i * 1_000_000_000L));
        }
    }
}
