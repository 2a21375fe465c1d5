using System.Globalization;
using System.Text;

namespace Ingest.Gateway.Configuration;

/// <summary>
/// Parses the value forms people write in configuration: durations (<c>500ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, or
/// .NET's <c>00:00:05</c>) and sizes (<c>4096</c>, <c>64KiB</c>, <c>16MiB</c>, <c>1GiB</c>; KB/MB/GB are decimal).
/// </summary>
internal static class ValueText
{
    /// <summary>What a duration looks like, for error messages.</summary>
    public const string DurationForms = "a duration such as 500ms, 5s, 2m, 1h or 00:00:05";

    /// <summary>What a size looks like, for error messages.</summary>
    public const string SizeForms = "a size such as 1048576, 64KiB, 16MiB or 1GiB";

    /// <summary>
    /// Most characters of a rejected value an error message repeats: enough to recognise it, never a screenful (a value
    /// may be a pasted file).
    /// </summary>
    public const int MaxShownChars = 80;

    /// <summary>
    /// A value as an error message may repeat it: at most <see cref="MaxShownChars"/> characters (then "…"), control
    /// characters written as <c>\uXXXX</c> so a terminal shows them instead of acting on them.
    /// </summary>
    public static string Shown(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = new StringBuilder(Math.Min(value.Length, MaxShownChars) + 8);
        foreach (var c in value.Length > MaxShownChars ? value.AsSpan(0, MaxShownChars) : value)
        {
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return value.Length > MaxShownChars ? text.Append('…').ToString() : text.ToString();
    }

    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.Contains(':') && TimeSpan.TryParse(span, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var (number, unit) = Split(span);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount))
        {
            return false;
        }

        double? milliseconds = unit switch
        {
            "ms" => amount,
            "s" or "" => amount * 1000,
            "m" or "min" => amount * 60_000,
            "h" => amount * 3_600_000,
            _ => null,
        };
        if (milliseconds is not { } ms || ms > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    public static bool TryParseSize(string? text, out long value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var (number, unit) = Split(text.AsSpan().Trim());
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        long? multiplier = unit.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KIB" => 1L << 10,
            "MIB" => 1L << 20,
            "GIB" => 1L << 30,
            "TIB" => 1L << 40,
            "KB" => 1000,
            "MB" => 1000_000,
            "GB" => 1000_000_000,
            _ => null,
        };
        if (multiplier is not { } m)
        {
            return false;
        }

        try
        {
            value = checked(amount * m);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>A duration as people write it: <c>750ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>.</summary>
    public static string Duration(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerSecond != 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms")
        : value.Ticks % TimeSpan.TicksPerHour == 0 && value.Ticks != 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalHours}h")
        : value.Ticks % TimeSpan.TicksPerMinute == 0 && value.Ticks != 0 ? string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalMinutes}m")
        : string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalSeconds}s");

    /// <summary>A byte count as people read it: 1.5 GiB, 16 MiB, 512 B.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.##} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static (string Number, string Unit) Split(ReadOnlySpan<char> text)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        return (text[..end].ToString(), text[end..].Trim().ToString());
    }
}
