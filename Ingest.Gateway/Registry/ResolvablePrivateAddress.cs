using System.Security.Cryptography;

namespace Ingest.Gateway.Registry;

/// <summary>
/// Resolvable private addresses (RPAs): the random addresses a privacy-enabled tracker changes every few minutes, which
/// only a holder of its identity resolving key (IRK) can link to it.
/// <para>
/// Core 5.4 Vol 6 Part B §1.3.2.2: an RPA's two most significant bits are 0b01; its upper 24 bits are <c>prand</c> and
/// its lower 24 bits are <c>hash = ah(IRK, prand)</c>. Core 5.4 Vol 3 Part H §2.2.2: <c>ah(k, r) = e(k, r') mod 2^24</c>,
/// where <c>r'</c> is 104 zero bits followed by the 24-bit <c>r</c>, and <c>e</c> is AES-128 (§2.2.1) with the key and
/// plaintext given most significant octet first, which is the byte order AES itself uses.
/// </para>
/// Keys and addresses here are most significant octet first: IRKs as the spec writes them (<c>ec0234a3…</c>), addresses
/// as printed (<c>70:81:94:0D:FB:AA</c> has prand 0x708194 and hash 0x0DFBAA).
/// </summary>
internal static class ResolvablePrivateAddress
{
    /// <summary>IRK size: 128 bits.</summary>
    public const int KeyLength = 16;

    /// <summary>Mask of prand's and hash's 24 bits.</summary>
    private const int Mask24 = 0xFF_FFFF;

    /// <summary>The random address hash function <c>ah</c> (Core 5.4 Vol 3 Part H §2.2.2): 24 bits.</summary>
    public static int Ah(ReadOnlySpan<byte> irk, int prand)
    {
        if (irk.Length != KeyLength)
        {
            throw new ArgumentException($"an identity resolving key has {KeyLength} bytes, not {irk.Length}", nameof(irk));
        }

        Span<byte> block = stackalloc byte[KeyLength];
        block.Clear();
        // r' = padding (104 zero bits) || r: the 24 bits of r are the three least significant octets.
        block[13] = (byte)(prand >> 16);
        block[14] = (byte)(prand >> 8);
        block[15] = (byte)prand;
        Span<byte> encrypted = stackalloc byte[KeyLength];
        using (var aes = Aes.Create())
        {
            aes.Key = irk.ToArray();
            aes.EncryptEcb(block, encrypted, PaddingMode.None);
        }

        // mod 2^24: the three least significant octets of e's output.
        return (encrypted[13] << 16) | (encrypted[14] << 8) | encrypted[15];
    }

    /// <summary>Whether <paramref name="address"/> (6 octets, most significant first) is shaped as an RPA (top bits 0b01).</summary>
    public static bool IsResolvable(ReadOnlySpan<byte> address) =>
        address.Length == TrackerAddress.Length && TrackerAddress.RandomSubType(address) == TrackerAddress.ResolvablePrivate;

    /// <summary>Whether <paramref name="address"/> is an RPA generated from <paramref name="irk"/>: its hash equals ah(IRK, prand).</summary>
    public static bool Resolves(ReadOnlySpan<byte> irk, ReadOnlySpan<byte> address)
    {
        if (!IsResolvable(address) || irk.Length != KeyLength)
        {
            return false;
        }

        var prand = (address[0] << 16) | (address[1] << 8) | address[2];
        var hash = (address[3] << 16) | (address[4] << 8) | address[5];
        return Ah(irk, prand) == hash;
    }

    /// <summary>
    /// The RPA a device with <paramref name="irk"/> would use for <paramref name="random"/> (its 22 random bits): what a
    /// tracker does every few minutes; here for tests and the simulated radio.
    /// </summary>
    public static string Create(ReadOnlySpan<byte> irk, int random)
    {
        // Vol 6 Part B §1.3.2.2: the two most significant bits of prand are 0b01; the rest is random (not all 0s or 1s).
        var prand = (random & 0x3F_FFFF) | 0x40_0000;
        var hash = Ah(irk, prand) & Mask24;
        Span<byte> octets = [(byte)(prand >> 16), (byte)(prand >> 8), (byte)prand, (byte)(hash >> 16), (byte)(hash >> 8), (byte)hash];
        return TrackerAddress.Format(octets);
    }

    /// <summary>Parses 32 hex digits (an IRK, most significant octet first); false for anything else.</summary>
    public static bool TryParseKey(string? text, out byte[] key)
    {
        key = [];
        if (text is null || text.Length != 2 * KeyLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        key = Convert.FromHexString(text);
        return true;
    }
}
