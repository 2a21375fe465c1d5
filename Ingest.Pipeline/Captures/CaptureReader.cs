using System.Globalization;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Reads capture files (firmware-profiles/README.md "Capture files"): one notification per line as hex bytes,
/// optionally preceded by the receive time. A bad line, including one longer than
/// <see cref="ProfileLimits.MaxCaptureLineChars"/>, is returned with its error and the lines after it are still read;
/// a binary file is refused as a whole (<see cref="CaptureFormatException"/>). Memory is bounded by the line limit
/// whatever the file's size (<see cref="BoundedLineReader"/>).
/// </summary>
public static class CaptureReader
{
    /// <summary>Receive time given to untimed lines before the first timed one, unless a start is given.</summary>
    public const long DefaultStartNs = 0;

    /// <summary>Spacing of untimed lines after the previous line.</summary>
    public const long UntimedSpacingNs = 1_000_000_000;

    /// <summary>
    /// Earliest receive time accepted, 1678-01-01T00:00:00Z: a nanosecond Int64 timestamp reaches back to
    /// 1677-09-21, and the margin leaves room to spread a multi-sample notification's samples back in time.
    /// </summary>
    public const long EarliestReceiveTimeNs = -9_214_560_000_000_000_000;

    /// <summary>Latest receive time accepted, 2262-01-01T00:00:00Z (a nanosecond Int64 timestamp ends on 2262-04-11).</summary>
    public const long LatestReceiveTimeNs = 9_214_646_400_000_000_000;

    /// <summary>The accepted receive times, as messages name them.</summary>
    public const string ReceiveTimeRange = "1678-01-01T00:00:00Z to 2262-01-01T00:00:00Z (what a nanosecond timestamp holds)";

    /// <summary>Reads every line of <paramref name="stream"/> (UTF-8 text), holding at most one line in memory.</summary>
    /// <exception cref="CaptureFormatException">The stream is binary (read lazily: thrown while enumerating).</exception>
    public static IEnumerable<CaptureLine> Read(Stream stream, long? startNs = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadLines(new BoundedLineReader(stream, ProfileLimits.MaxCaptureLineChars), startNs);
    }

    /// <summary>Reads every line of <paramref name="text"/> (for tests and short inputs).</summary>
    public static IEnumerable<CaptureLine> Read(string text, long? startNs = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), startNs);
    }

    /// <summary>Parses one line; null for a blank or comment line.</summary>
    public static CaptureLine? ParseLine(string line, int lineNumber, ref long? previousNs, long? startNs)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > ProfileLimits.MaxCaptureLineChars)
        {
            return TooLong(lineNumber, line.Length);
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
        else if (previousNs is { } previous)
        {
            if (previous > LatestReceiveTimeNs - UntimedSpacingNs)
            {
                return new CaptureLine(lineNumber, 0, [],
                    $"an untimed line 1 s after {FormatTime(previous)} is past the latest receive time accepted; accepted: {ReceiveTimeRange}");
            }

            hubTime = previous + UntimedSpacingNs;
        }
        else
        {
            hubTime = startNs ?? DefaultStartNs;
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
                return $"receive time '{InputText.Printable(token)}' must be UTC and end in 'Z'";
            }

            var dot = token.IndexOf('.');
            var whole = dot < 0 ? token[..^1] : token[..dot];
            var fraction = dot < 0 ? [] : token[(dot + 1)..^1];
            if (!DateTimeOffset.TryParseExact(whole, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var time))
            {
                return $"receive time '{InputText.Printable(token)}' is not ISO 8601 (yyyy-MM-ddTHH:mm:ss[.fffffffff]Z)";
            }

            if (fraction.Length > 9 || !AllDigits(fraction))
            {
                return $"receive time '{InputText.Printable(token)}' has a bad fraction of a second (at most 9 digits)";
            }

            long nanos = 0;
            for (var i = 0; i < 9; i++)
            {
                nanos = (nanos * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
            }

            // Int128 holds any DateTimeOffset in ns, so the range check itself cannot overflow.
            return InRange(token, ((Int128)time.ToUnixTimeSeconds() * 1_000_000_000) + nanos, out unixNs);
        }

        if (!decimal.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var secondsValue))
        {
            return $"receive time '{InputText.Printable(token)}' is neither ISO 8601 nor seconds since the Unix epoch";
        }

        // decimal holds 28 digits: seconds beyond the range are caught before any conversion to long.
        return secondsValue > LatestReceiveTimeNs / 1_000_000_000m
            ? OutOfRange(token)
            : InRange(token, (Int128)decimal.Truncate(secondsValue * 1_000_000_000m), out unixNs);
    }

    private static string? InRange(ReadOnlySpan<char> token, Int128 ns, out long unixNs)
    {
        if (ns < EarliestReceiveTimeNs || ns > LatestReceiveTimeNs)
        {
            unixNs = 0;
            return OutOfRange(token);
        }

        unixNs = (long)ns;
        return null;
    }

    private static string OutOfRange(ReadOnlySpan<char> token) =>
        $"receive time '{InputText.Printable(token)}' is outside {ReceiveTimeRange}";

    private static CaptureLine TooLong(int lineNumber, long length) =>
        new(lineNumber, 0, [], $"line is {length} characters long; at most {ProfileLimits.MaxCaptureLineChars} (a notification of 512 bytes as spaced hex with its time)");

    private static IEnumerable<CaptureLine> ReadLines(BoundedLineReader reader, long? startNs)
    {
        long? previous = null;
        while (reader.TryReadLine(out var line))
        {
            var parsed = line.Text is null
                ? TooLong(line.Number, line.Length)
                : ParseLine(line.Text, line.Number, ref previous, startNs);
            if (parsed is not null)
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
