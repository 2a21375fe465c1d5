using System.Text;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// Makes untrusted names (study codes, pseudonyms, stream keys) safe as one path segment: letters, digits, '-', '_' and
/// '.' (not leading) stay, everything else becomes <c>%XX</c> of its UTF-8 bytes, as Hive partition values are escaped.
/// A name can therefore never climb out of its folder ('..', '/') or collide with another after escaping.
/// </summary>
internal static class PathSegment
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && i > 0))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
