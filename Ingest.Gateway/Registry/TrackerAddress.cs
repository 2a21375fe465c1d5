using System.Globalization;
using System.Text.RegularExpressions;

namespace Ingest.Gateway.Registry;

/// <summary>
/// Bluetooth device addresses as the registry handles them: <c>AA:BB:CC:DD:EE:FF</c>, most significant octet first (the
/// way BlueZ and every tool print them), normalised to upper case. Addresses stay in the registry database; this type
/// also finds them in text that is about to leave it (<see cref="ContainsAddress"/>).
/// </summary>
internal static partial class TrackerAddress
{
    /// <summary>Length of the text form.</summary>
    public const int TextLength = 17;

    /// <summary>Octets in an address.</summary>
    public const int Length = 6;

    /// <summary>The form people should type, for error messages.</summary>
    public const string Form = "six pairs of hex digits separated by ':', e.g. C4:7C:8D:6A:12:34";

    /// <summary>Normalises <paramref name="text"/> (case-insensitive <c>AA:BB:CC:DD:EE:FF</c>) to upper case; false when it is not an address.</summary>
    public static bool TryNormalize(string? text, out string normalized)
    {
        normalized = string.Empty;
        Span<byte> octets = stackalloc byte[Length];
        if (!TryParse(text, octets))
        {
            return false;
        }

        normalized = Format(octets);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> into <paramref name="octets"/> (6 bytes, most significant first).</summary>
    public static bool TryParse(string? text, Span<byte> octets)
    {
        if (text is null || text.Length != TextLength || octets.Length < Length)
        {
            return false;
        }

        for (var i = 0; i < Length; i++)
        {
            var at = i * 3;
            if (i > 0 && text[at - 1] != ':')
            {
                return false;
            }

            if (!char.IsAsciiHexDigit(text[at]) || !char.IsAsciiHexDigit(text[at + 1]))
            {
                return false;
            }

            octets[i] = byte.Parse(text.AsSpan(at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }

        return true;
    }

    /// <summary>The text form of 6 octets, most significant first, upper case.</summary>
    public static string Format(ReadOnlySpan<byte> octets) =>
        string.Create(CultureInfo.InvariantCulture, $"{octets[0]:X2}:{octets[1]:X2}:{octets[2]:X2}:{octets[3]:X2}:{octets[4]:X2}:{octets[5]:X2}");

    /// <summary>
    /// The random-address sub-type from the two most significant bits (Core 5.4 Vol 6 Part B §1.3.2): 0b11 static,
    /// 0b01 resolvable private, 0b00 non-resolvable private (0b10 is reserved). Meaningful only for random addresses.
    /// </summary>
    public static int RandomSubType(ReadOnlySpan<byte> octets) => octets[0] >> 6;

    /// <summary>Sub-type bits of a static random address.</summary>
    public const int StaticRandom = 0b11;

    /// <summary>Sub-type bits of a resolvable private address.</summary>
    public const int ResolvablePrivate = 0b01;

    /// <summary>Whether <paramref name="text"/> contains anything shaped like an address (with ':' or '-' separators), in any case.</summary>
    public static bool ContainsAddress(string? text) => text is not null && AddressPattern().IsMatch(text);

    /// <summary><paramref name="text"/> with every address-shaped part replaced by <c>[address]</c>.</summary>
    public static string Redact(string text) => AddressPattern().Replace(text, "[address]");

    [GeneratedRegex("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
