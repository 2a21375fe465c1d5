using System.Text;

namespace Ingest.Pipeline.Captures;

/// <summary>Hex byte text as people write it: <c>16 48 00 04</c>, <c>16:48:00:04</c> or <c>16480004</c>.</summary>
public static class HexText
{
    /// <summary>Parses hex bytes separated by spaces, colons, dashes or nothing.</summary>
    /// <returns>Null on success, else what is wrong (naming the character position).</returns>
    public static string? TryParse(ReadOnlySpan<char> text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length + 1) / 2];
        var count = 0;
        var high = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ' ' or ':' or '-' or '\t')
            {
                if (high >= 0)
                {
                    bytes = [];
                    return $"odd number of hex digits before position {i + 1}";
                }

                continue;
            }

            var digit = HexValue(c);
            if (digit < 0)
            {
                bytes = [];
                var shown = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                    ? InputText.Printable(text.Slice(i, 2))
                    : InputText.Printable(c);
                return $"'{shown}' at position {i + 1} is not a hex digit";
            }

            if (high < 0)
            {
                high = digit;
            }
            else
            {
                buffer[count++] = (byte)((high << 4) | digit);
                high = -1;
            }
        }

        if (high >= 0)
        {
            bytes = [];
            return "odd number of hex digits at the end";
        }

        bytes = buffer.AsSpan(0, count).ToArray();
        return null;
    }

    /// <summary>Formats bytes as lower-case hex pairs separated by spaces.</summary>
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            builder.Append(Digit(bytes[i] >> 4)).Append(Digit(bytes[i] & 0xF));
        }

        return builder.ToString();
    }

    private static char Digit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
