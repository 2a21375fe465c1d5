using System.Globalization;
using System.Text;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// How broker settings are quoted back in messages and checked against MQTT's string rules. A value a person gave may be
/// 70 kB long or hold a password: messages quote at most <see cref="MaximumQuotedCharacters"/> of it, never a secret.
/// </summary>
internal static class MqttOptionText
{
    /// <summary>Longest excerpt of a value quoted in a message: enough to recognise it, never a screenful.</summary>
    public const int MaximumQuotedCharacters = 40;

    /// <summary>
    /// Longest UTF-8 encoded string and binary data in MQTT: a two-byte length prefix [MQTT-1.5.4, 1.5.6] (user name,
    /// password, topic names and client ids all travel this way).
    /// </summary>
    public const int MaximumStringBytes = ushort.MaxValue;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The value in quotes, cut to <see cref="MaximumQuotedCharacters"/> with its length said when longer.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaximumQuotedCharacters)
        {
            return "'" + Printable(value) + "'";
        }

        return string.Create(CultureInfo.InvariantCulture, $"'{Printable(value[..MaximumQuotedCharacters])}…' ({value.Length:N0} characters)");
    }

    /// <summary>
    /// Returns null when <paramref name="value"/> can travel as an MQTT UTF-8 string, else what is wrong (without the value):
    /// at most <see cref="MaximumStringBytes"/> bytes, no U+0000 [MQTT-1.5.4-2], no unpaired surrogate (not encodable, [MQTT-1.5.4-1]).
    /// </summary>
    public static string? ProblemWithString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character (U+0000), which MQTT forbids";
        }

        int bytes;
        try
        {
            bytes = s_strictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            return "is not valid text (it holds half of a UTF-16 surrogate pair)";
        }

        return bytes > MaximumStringBytes
            ? string.Create(CultureInfo.InvariantCulture, $"is {bytes:N0} UTF-8 bytes long; MQTT strings hold at most {MaximumStringBytes:N0}")
            : null;
    }

    // Control characters would garble the terminal line the message is printed on.
    private static string Printable(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
