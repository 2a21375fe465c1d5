namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>
/// The fields of a Bluetooth SIG Date Time (0x2A08): year 1582–9999 (0 = not known), month 1–12, day 1–31 (0 = not
/// known), hours, minutes, seconds. Written as sent, so tests can also build out-of-range values.
/// </summary>
/// <param name="Year">Year, or 0 when not known.</param>
/// <param name="Month">Month 1–12, or 0 when not known.</param>
/// <param name="Day">Day of the month 1–31, or 0 when not known.</param>
/// <param name="Hours">Hours 0–23.</param>
/// <param name="Minutes">Minutes 0–59.</param>
/// <param name="Seconds">Seconds 0–59.</param>
public readonly record struct SigDateTimeFields(ushort Year, byte Month, byte Day, byte Hours, byte Minutes, byte Seconds)
{
    /// <summary>Bytes on the wire.</summary>
    public const int Size = 7;

    /// <summary>The fields of a UTC <see cref="DateTime"/> (seconds precision).</summary>
    public static SigDateTimeFields From(DateTime time) =>
        new((ushort)time.Year, (byte)time.Month, (byte)time.Day, (byte)time.Hour, (byte)time.Minute, (byte)time.Second);

    /// <summary>Writes the 7 bytes (year little-endian) to the start of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        EncoderGuard.Room(destination, Size);
        destination[0] = (byte)Year;
        destination[1] = (byte)(Year >> 8);
        destination[2] = Month;
        destination[3] = Day;
        destination[4] = Hours;
        destination[5] = Minutes;
        destination[6] = Seconds;
    }
}
