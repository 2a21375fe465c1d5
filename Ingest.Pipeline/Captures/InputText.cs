using System.Globalization;
using System.Text;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Quotes untrusted input (a capture line, an option value) in a message for a terminal: control and other invisible
/// characters are escaped (<c>\u0007</c>), never printed, and long text is cut, so a message is always one short line.
/// </summary>
public static class InputText
{
    /// <summary>Characters of input quoted in a message before it is cut with "…".</summary>
    public const int MaxQuotedChars = 80;

    /// <summary><paramref name="text"/> with invisible characters escaped, at most <see cref="MaxQuotedChars"/> long.</summary>
    public static string Printable(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxQuotedChars) + 8);
        for (var i = 0; i < text.Length; i++)
        {
            if (builder.Length >= MaxQuotedChars)
            {
                builder.Append("… (").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
                break;
            }

            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (IsInvisible(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>One character, escaped when invisible (for "'x' is not a hex digit").</summary>
    public static string Printable(char c) => Printable([c]);

    private static bool IsInvisible(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned;
}
