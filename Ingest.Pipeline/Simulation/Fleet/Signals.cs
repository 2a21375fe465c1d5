namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>Physiologically shaped signal values (the shapes of Ingest.Bench's compression streams), allocation-free.</summary>
internal static class Signals
{
    /// <summary>ECG in µV at <paramref name="phase"/> of a beat (R peak at 0.4), with baseline wander at <paramref name="seconds"/>.</summary>
    public static int Ecg(double phase, double seconds, ref SimRandom random)
    {
        var value = (1100 * Gauss(phase, 0.40, 0.012))
            - (150 * Gauss(phase, 0.37, 0.01))
            - (250 * Gauss(phase, 0.43, 0.012))
            + (120 * Gauss(phase, 0.20, 0.03))
            + (300 * Gauss(phase, 0.65, 0.05))
            + (80 * Math.Sin(2 * Math.PI * 0.25 * seconds));
        return (int)value + random.Next(-15, 15);
    }

    /// <summary>PPG counts (22-bit range) for LED <paramref name="channel"/>: a pulse wave peaking after the R wave.</summary>
    public static int Ppg(int channel, double phase, double seconds, ref SimRandom random)
    {
        if (channel == 3)
        {
            // Ambient light: near-constant with noise.
            return 12_000 + random.Next(-40, 40);
        }

        var pulse = (9000 * Gauss(phase, 0.55, 0.08)) + (2500 * Gauss(phase, 0.78, 0.06));
        var baseline = 180_000 + (channel * 25_000) + (3000 * Math.Sin(2 * Math.PI * 0.2 * seconds));
        return (int)(baseline - pulse) + random.Next(-60, 60);
    }

    /// <summary>Acceleration in mG for axis 0–2 of someone walking (gravity on z, a 1.8 Hz step rhythm).</summary>
    public static int Acc(int axis, double seconds, ref SimRandom random) => axis switch
    {
        0 => (int)(120 * Math.Sin(2 * Math.PI * 1.8 * seconds)) + random.Next(-8, 8),
        1 => (int)(60 * Math.Sin(2 * Math.PI * 0.9 * seconds)) + random.Next(-8, 8),
        _ => 1000 + (int)(200 * Math.Sin(2 * Math.PI * 1.8 * seconds)) + random.Next(-4, 4),
    };

    private static double Gauss(double x, double mean, double width)
    {
        var z = (x - mean) / width;
        return Math.Exp(-z * z);
    }
}
