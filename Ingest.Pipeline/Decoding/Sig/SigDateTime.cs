using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// The Bluetooth SIG Date Time structure (characteristic 0x2A08, GATT Specification Supplement, Date Time), used as the
/// Time Stamp of Temperature Measurement and PLX Spot-Check: year uint16 (1582–9999, 0 = not known), month
/// (1–12, 0 = not known), day (1–31, 0 = not known), hours (0–23), minutes (0–59), seconds (0–59). The structure
/// carries no time zone; it is read as UTC into <c>device_time</c>.
/// </summary>
internal static class SigDateTime
{
    /// <summary>Bytes on the wire.</summary>
    public const int Size = 7;

    /// <summary>Smallest year the spec allows (Gregorian calendar).</summary>
    public const int MinYear = 1582;

    /// <summary>Largest year the spec allows.</summary>
    public const int MaxYear = 9999;

    // timestamp[ns] as int64 covers 1677-09-21 … 2262-04-11; whole years inside that range.
    private const int MinRepresentableYear = 1678;
    private const int MaxRepresentableYear = 2261;

    /// <summary>Reads the 7-byte structure at the start of <paramref name="field"/> (which must hold <see cref="Size"/> bytes).</summary>
    public static SigDateTimeResult Read(ReadOnlySpan<byte> field, out long unixNs)
    {
        unixNs = 0;
        var year = field[0] | (field[1] << 8);
        int month = field[2];
        int day = field[3];
        int hours = field[4];
        int minutes = field[5];
        int seconds = field[6];
        if ((year != 0 && year is < MinYear or > MaxYear) || month > 12 || day > 31 || hours > 23 || minutes > 59 || seconds > 59)
        {
            return SigDateTimeResult.Invalid;
        }

        if (year == 0 || month == 0 || day == 0)
        {
            return SigDateTimeResult.Unknown;
        }

        if (day > DateTime.DaysInMonth(year, month))
        {
            return SigDateTimeResult.Invalid;
        }

        if (year is < MinRepresentableYear or > MaxRepresentableYear)
        {
            return SigDateTimeResult.Unknown;
        }

        var ticks = new DateTime(year, month, day, hours, minutes, seconds, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks;
        unixNs = ticks * TimeSpan.NanosecondsPerTick;
        return SigDateTimeResult.Known;
    }

    /// <summary>Describes an invalid field for a rejection.</summary>
    public static string Describe(ReadOnlySpan<byte> field) =>
        $"time stamp {field[0] | (field[1] << 8):D4}-{field[2]:D2}-{field[3]:D2} {field[4]:D2}:{field[5]:D2}:{field[6]:D2} has a field outside its range (Date Time 0x2A08)";

    /// <summary>Appends the device time for a frame: the instant, or null.</summary>
    public static void AppendDeviceTime(PrimitiveColumnBuffer<long> deviceTime, SigDateTimeResult result, long unixNs)
    {
        if (result == SigDateTimeResult.Known)
        {
            deviceTime.Append(unixNs);
        }
        else
        {
            deviceTime.AppendNull();
        }
    }
}
