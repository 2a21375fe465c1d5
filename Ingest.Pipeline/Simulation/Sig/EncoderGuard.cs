namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>Argument checks shared by the SIG frame encoders (their callers are the simulator and tests: bad arguments are bugs).</summary>
internal static class EncoderGuard
{
    /// <summary>Throws when <paramref name="destination"/> is shorter than <paramref name="needed"/>.</summary>
    public static void Room(Span<byte> destination, int needed)
    {
        if (destination.Length < needed)
        {
            throw new ArgumentException($"the frame needs {needed} bytes; the destination has {destination.Length}", nameof(destination));
        }
    }
}
