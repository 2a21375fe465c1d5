using System.Diagnostics.CodeAnalysis;

namespace Ingest.Pipeline.Decoding.Ieee11073;

/// <summary>
/// IEEE-11073 32-bit FLOAT (ISO/IEEE 11073-20601 §F.6 "FLOAT-Type"; protocols.md §4.4): a signed 8-bit exponent
/// (bits 31–24) and a signed 24-bit mantissa (bits 23–0), value = mantissa × 10^exponent. Five whole-word
/// patterns with exponent 0 are special values. Used by the Health Thermometer (0x2A1C). Keeps the raw word.
/// </summary>
public readonly struct MderFloat : IEquatable<MderFloat>
{
    /// <summary>Raw word of NaN (exponent 0, mantissa +2^23 − 1).</summary>
    public const uint NaNRaw = 0x007F_FFFF;

    /// <summary>Raw word of NRes (exponent 0, mantissa −2^23).</summary>
    public const uint NResRaw = 0x0080_0000;

    /// <summary>Raw word of +INFINITY (exponent 0, mantissa +2^23 − 2).</summary>
    public const uint PositiveInfinityRaw = 0x007F_FFFE;

    /// <summary>Raw word of −INFINITY (exponent 0, mantissa −(2^23 − 2)).</summary>
    public const uint NegativeInfinityRaw = 0x0080_0002;

    /// <summary>Raw word reserved for future use (exponent 0, mantissa −(2^23 − 1)).</summary>
    public const uint ReservedRaw = 0x0080_0001;

    /// <summary>Smallest mantissa (24-bit two's complement).</summary>
    public const int MinMantissa = -0x80_0000;

    /// <summary>Largest mantissa.</summary>
    public const int MaxMantissa = 0x7F_FFFF;

    /// <summary>Smallest exponent (8-bit two's complement).</summary>
    public const int MinExponent = -128;

    /// <summary>Largest exponent.</summary>
    public const int MaxExponent = 127;

    /// <summary>Wraps a raw little-endian-decoded word.</summary>
    public MderFloat(uint raw)
    {
        Raw = raw;
    }

    /// <summary>The 32-bit word as sent.</summary>
    public uint Raw { get; }

    /// <summary>NaN.</summary>
    public static MderFloat NaN => new(NaNRaw);

    /// <summary>Not at this resolution.</summary>
    public static MderFloat NRes => new(NResRaw);

    /// <summary>+INFINITY.</summary>
    public static MderFloat PositiveInfinity => new(PositiveInfinityRaw);

    /// <summary>−INFINITY.</summary>
    public static MderFloat NegativeInfinity => new(NegativeInfinityRaw);

    /// <summary>The reserved special value.</summary>
    public static MderFloat Reserved => new(ReservedRaw);

    /// <summary>Which kind of value this is; the special patterns are whole-word matches (§F.6).</summary>
    public MderStatus Status => Raw switch
    {
        NaNRaw => MderStatus.NaN,
        NResRaw => MderStatus.NRes,
        PositiveInfinityRaw => MderStatus.PositiveInfinity,
        NegativeInfinityRaw => MderStatus.NegativeInfinity,
        ReservedRaw => MderStatus.Reserved,
        _ => MderStatus.Value,
    };

    /// <summary>Signed 8-bit exponent, −128 … 127.</summary>
    public int Exponent => (sbyte)(Raw >> 24);

    /// <summary>Signed 24-bit mantissa.</summary>
    public int Mantissa => (int)(Raw << 8) >> 8;

    /// <summary>
    /// The number as binary64: mantissa × 10^exponent (correctly rounded for |exponent| ≤ 22, and a 24-bit
    /// mantissa always fits); ±Infinity for the infinities; NaN for NaN, NRes and Reserved.
    /// </summary>
    public double ToDouble() => Status switch
    {
        MderStatus.Value => PowersOfTen.Scale(Mantissa, Exponent),
        MderStatus.PositiveInfinity => double.PositiveInfinity,
        MderStatus.NegativeInfinity => double.NegativeInfinity,
        _ => double.NaN,
    };

    /// <summary>True when <paramref name="mantissa"/> × 10^<paramref name="exponent"/> is encodable and not a special pattern.</summary>
    public static bool TryCreate(int mantissa, int exponent, out MderFloat value)
    {
        value = default;
        if (mantissa is < MinMantissa or > MaxMantissa || exponent is < MinExponent or > MaxExponent)
        {
            return false;
        }

        var candidate = new MderFloat(((uint)(exponent & 0xFF) << 24) | ((uint)mantissa & 0xFF_FFFF));
        if (candidate.Status != MderStatus.Value)
        {
            return false;
        }

        value = candidate;
        return true;
    }

    /// <summary>mantissa × 10^exponent; throws when it is out of range or collides with a special pattern.</summary>
    public static MderFloat Create(int mantissa, int exponent) =>
        TryCreate(mantissa, exponent, out var value) ? value : ThrowNotEncodable(mantissa, exponent);

    /// <inheritdoc />
    public bool Equals(MderFloat other) => Raw == other.Raw;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MderFloat other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Raw;

    /// <summary>Raw-word equality.</summary>
    public static bool operator ==(MderFloat left, MderFloat right) => left.Equals(right);

    /// <summary>Raw-word inequality.</summary>
    public static bool operator !=(MderFloat left, MderFloat right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Status == MderStatus.Value
        ? $"{Mantissa}e{Exponent}"
        : Status.ToString();

    [DoesNotReturn]
    private static MderFloat ThrowNotEncodable(int mantissa, int exponent) =>
        throw new ArgumentOutOfRangeException(nameof(mantissa),
            $"{mantissa}e{exponent} is not a FLOAT number (mantissa {MinMantissa}…{MaxMantissa}, exponent {MinExponent}…{MaxExponent}, not a special pattern)");
}
