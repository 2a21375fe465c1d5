using System.Globalization;

namespace Ingest.Pipeline.Profiles;

/// <summary>Bluetooth UUID text: 16-bit SIG short forms and full 128-bit forms, in one canonical spelling.</summary>
public static class BleUuid
{
    private const string SigBaseSuffix = "-0000-1000-8000-00805f9b34fb";

    /// <summary>
    /// Canonical form: lower-case 128-bit (<c>00002a37-0000-1000-8000-00805f9b34fb</c>). Accepts <c>2a37</c>,
    /// <c>0x2A37</c>, 32-bit short forms and full UUIDs in any case.
    /// </summary>
    public static bool TryNormalize(string? text, out string canonical)
    {
        canonical = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        if ((s.Length == 4 || s.Length == 8) && uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var shortForm))
        {
            canonical = shortForm.ToString("x8", CultureInfo.InvariantCulture) + SigBaseSuffix;
            return true;
        }

        if (Guid.TryParseExact(s, "D", out var guid))
        {
            canonical = guid.ToString("D");
            return true;
        }

        return false;
    }

    /// <summary>The canonical 128-bit form of a 16-bit SIG UUID.</summary>
    public static string FromShort(ushort value) => value.ToString("x8", CultureInfo.InvariantCulture) + SigBaseSuffix;

    /// <summary>The 16-bit short form of a SIG-base UUID (<c>2a37</c>), or the full canonical text otherwise.</summary>
    public static string ToDisplay(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return canonical.EndsWith(SigBaseSuffix, StringComparison.Ordinal) && canonical.StartsWith("0000", StringComparison.Ordinal)
            ? canonical[4..8]
            : canonical;
    }
}
