using System.Security.Cryptography;
using System.Text;

namespace Ingest.Gateway.Registry;

/// <summary>
/// The keyed pseudonym of a tracker: <c>dev-</c> + 16 lower-case base32 characters (RFC 4648 alphabet, a–z and 2–7) of
/// HMAC-SHA256(study key, normalised identity address), i.e. its first 80 bits. Stable for one tracker in one study, different
/// across studies (each study has its own hub-local key), and useless without the key: the address space is only 48 bits,
/// so an unkeyed hash could be reversed by trying every address.
/// <para>
/// Collision odds: among n trackers of one study, about n² / 2^81; for 10,000 trackers that is 4e-17. Enrollment still
/// refuses a pseudonym already held by another address, so a collision could never merge two trackers' data.
/// </para>
/// </summary>
internal static class DevicePseudonym
{
    /// <summary>Prefix of every device pseudonym.</summary>
    public const string Prefix = "dev-";

    /// <summary>Characters after the prefix: 16 base32 characters carry 80 bits.</summary>
    public const int EncodedLength = 16;

    /// <summary>Length of a pseudonym.</summary>
    public const int Length = 4 + EncodedLength;

    /// <summary>Study key size: 32 random bytes (HMAC-SHA256's block-sized key is 64, its security level 256 bits).</summary>
    public const int KeyLength = 32;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The pseudonym of <paramref name="normalizedAddress"/> (upper-case <c>AA:BB:…</c>) under <paramref name="studyKey"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> studyKey, string normalizedAddress)
    {
        if (studyKey.Length != KeyLength)
        {
            throw new ArgumentException($"a study key has {KeyLength} bytes, not {studyKey.Length}", nameof(studyKey));
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(studyKey, Encoding.ASCII.GetBytes(normalizedAddress), mac);
        Span<char> text = stackalloc char[Length];
        Prefix.CopyTo(text);
        // 80 bits = 10 bytes = 16 groups of 5 bits, most significant first (RFC 4648 §6 without padding).
        ulong high = 0;
        for (var i = 0; i < 5; i++)
        {
            high = (high << 8) | mac[i];
        }

        ulong low = 0;
        for (var i = 5; i < 10; i++)
        {
            low = (low << 8) | mac[i];
        }

        for (var i = 0; i < 8; i++)
        {
            text[Prefix.Length + i] = Alphabet[(int)((high >> (35 - (5 * i))) & 31)];
            text[Prefix.Length + 8 + i] = Alphabet[(int)((low >> (35 - (5 * i))) & 31)];
        }

        return new string(text);
    }

    /// <summary>Whether <paramref name="text"/> has the shape of a device pseudonym.</summary>
    public static bool IsValid(string? text)
    {
        if (text is null || text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = Prefix.Length; i < text.Length; i++)
        {
            if (!Alphabet.Contains(text[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
