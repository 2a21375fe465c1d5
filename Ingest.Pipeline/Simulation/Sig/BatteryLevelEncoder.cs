using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>Writes Battery Level (0x2A19) values, the inverse of <see cref="BatteryLevelDecoder"/>.</summary>
public static class BatteryLevelEncoder
{
    /// <summary>Bytes on the wire.</summary>
    public const int Length = 1;

    /// <summary>Writes <paramref name="percent"/> (0–100); returns the bytes written.</summary>
    public static int Encode(byte percent, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, (byte)100);
        EncoderGuard.Room(destination, Length);
        destination[0] = percent;
        return Length;
    }
}
