using System.Globalization;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Reads capture files (firmware-profiles/README.md "Capture files"): one notification per line as hex bytes,
/// optionally preceded by the receive time. A bad line is returned with its error; the lines after it are still read.
/// </summary>
public static class CaptureReader
{
    /// <summary>Receive time given to untimed lines before the first timed one, unless a start is given.</summary>
    public const long DefaultStartNs = 0;

    /// <summary>Spacing of untimed lines after the previous line.</summary>
    public const long UntimedSpacingNs = 1_000_000_000;

    /// <summary>Reads every line of <paramref name="reader"/>.</summary>
    public static IEnumerable<CaptureLine> Read(TextReader reader, long? startNs = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadLines(reader, startNs);
    }

    /// <summary>Parses one line; null for a blank or comment line.</summary>
    public static CaptureLine? ParseLine(string line, int lineNumber, ref long? previousNs, long? startNs)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > Profiles.ProfileLimits.MaxCaptureLineChars)
        {
            return new CaptureLine(lineNumber, 0, [], $"line is {line.Length} characters; at most {Profiles.ProfileLimits.MaxCaptureLineChars}");
        }

        var text = line.AsSpan().Trim();
        if (text.IsEmpty || text[0] == '#')
        {
            return null;
        }

        long hubTime;
        var firstSpace = text.IndexOfAny(' ', '\t');
        var firstToken = firstSpace < 0 ? text : text[..firstSpace];
        if (LooksLikeTime(firstToken))
        {
            if (TryParseTime(firstToken, out hubTime) is { } timeError)
            {
                return new CaptureLine(lineNumber, 0, [], timeError);
            }

            text = firstSpace < 0 ? [] : text[(firstSpace + 1)..].TrimStart();
        }
        else
        {
            hubTime = previousNs is { } previous ? previous + UntimedSpacingNs : startNs ?? DefaultStartNs;
        }

        if (HexText.TryParse(text, out var frame) is { } hexError)
        {
            return new CaptureLine(lineNumber, hubTime, [], $"not hex bytes: {hexError}");
        }

        previousNs = hubTime;
        return new CaptureLine(lineNumber, hubTime, frame, null);
    }

    /// <summary>
    /// Formats ns since the Unix epoch as ISO 8601 with nanoseconds: <c>2026-11-22T10:00:00.250000000Z</c>. With
    /// <paramref name="utc"/> false the 'Z' is left off: a tracker's clock (<c>device_time</c>) is not known to be UTC.
    /// </summary>
    public static string FormatTime(long unixNs, bool utc = true)
    {
        var seconds = Math.DivRem(unixNs, 1_000_000_000, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000;
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + (utc ? "Z" : "");
    }

    /// <summary>Parses ISO 8601 UTC (ending in Z) or decimal seconds since the Unix epoch.</summary>
    /// <returns>Null on success, else what is wrong.</returns>
    public static string? TryParseTime(ReadOnlySpan<char> token, out long unixNs)
    {
        unixNs = 0;
        if (token.Contains('T'))
        {
            if (token[^1] != 'Z')
            {
                return $"receive time '{token}' must be UTC and end in 'Z'";
            }

            var dot = token.IndexOf('.');
            var whole = dot < 0 ? token[..^1] : token[..dot];
            var fraction = dot < 0 ? [] : token[(dot + 1)..^1];
            if (!DateTimeOffset.TryParseExact(whole, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var time))
            {
                return $"receive time '{token}' is not ISO 8601 (yyyy-MM-ddTHH:mm:ss[.fffffffff]Z)";
            }

            if (fraction.Length > 9 || !AllDigits(fraction))
            {
                return $"receive time '{token}' has a bad fraction of a second (at most 9 digits)";
            }

            long nanos = 0;
            for (var i = 0; i < 9; i++)
            {
                nanos = (nanos * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
            }

            unixNs = (time.ToUnixTimeSeconds() * 1_000_000_000) + nanos;
            return null;
        }

        if (!decimal.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var secondsValue)
            || secondsValue > 9_000_000_000m)
        {
            return $"receive time '{token}' is neither ISO 8601 nor seconds since the Unix epoch";
        }

        unixNs = (long)(secondsValue * 1_000_000_000m);
        return null;
    }

    private static IEnumerable<CaptureLine> ReadLines(TextReader reader, long? startNs)
    {
        long? previous = null;
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (ParseLine(line, number, ref previous, startNs) is { } parsed)
            {
                yield return parsed;
            }
        }
    }

    // Hex bytes never contain 'T', 'Z' or '.', and a time always has one of them.
    private static bool LooksLikeTime(ReadOnlySpan<char> token) => token.ContainsAny('T', '.') || token.Contains('Z');

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
