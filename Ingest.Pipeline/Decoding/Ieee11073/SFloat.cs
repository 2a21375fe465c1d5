using System.Diagnostics.CodeAnalysis;

namespace Ingest.Pipeline.Decoding.Ieee11073;

/// <summary>
/// IEEE-11073 16-bit SFLOAT (ISO/IEEE 11073-20601 §F.6; protocols.md §4.4): a signed 4-bit exponent (bits 15–12)
/// and a signed 12-bit mantissa (bits 11–0), value = mantissa × 10^exponent. Five whole-word patterns with
/// exponent 0 are special values and are matched before the number is formed. Keeps the raw word, so precision
/// (the exponent) and the special values survive a round trip.
/// </summary>
public readonly struct SFloat : IEquatable<SFloat>
{
    /// <summary>Raw word of NaN (exponent 0, mantissa +2047).</summary>
    public const ushort NaNRaw = 0x07FF;

    /// <summary>Raw word of NRes, not at this resolution (exponent 0, mantissa −2048).</summary>
    public const ushort NResRaw = 0x0800;

    /// <summary>Raw word of +INFINITY (exponent 0, mantissa +2046).</summary>
    public const ushort PositiveInfinityRaw = 0x07FE;

    /// <summary>Raw word of −INFINITY (exponent 0, mantissa −2046).</summary>
    public const ushort NegativeInfinityRaw = 0x0802;

    /// <summary>Raw word reserved for future use (exponent 0, mantissa −2047).</summary>
    public const ushort ReservedRaw = 0x0801;

    /// <summary>Smallest mantissa (12-bit two's complement).</summary>
    public const int MinMantissa = -2048;

    /// <summary>Largest mantissa.</summary>
    public const int MaxMantissa = 2047;

    /// <summary>Smallest exponent (4-bit two's complement).</summary>
    public const int MinExponent = -8;

    /// <summary>Largest exponent.</summary>
    public const int MaxExponent = 7;

    /// <summary>Wraps a raw little-endian-decoded word.</summary>
    public SFloat(ushort raw)
    {
        Raw = raw;
    }

    /// <summary>The 16-bit word as sent.</summary>
    public ushort Raw { get; }

    /// <summary>NaN.</summary>
    public static SFloat NaN => new(NaNRaw);

    /// <summary>Not at this resolution.</summary>
    public static SFloat NRes => new(NResRaw);

    /// <summary>+INFINITY.</summary>
    public static SFloat PositiveInfinity => new(PositiveInfinityRaw);

    /// <summary>−INFINITY.</summary>
    public static SFloat NegativeInfinity => new(NegativeInfinityRaw);

    /// <summary>The reserved special value.</summary>
    public static SFloat Reserved => new(ReservedRaw);

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

    /// <summary>Signed 4-bit exponent, −8 … 7.</summary>
    public int Exponent => (short)Raw >> 12;

    /// <summary>Signed 12-bit mantissa, −2048 … 2047.</summary>
    public int Mantissa => (short)(Raw << 4) >> 4;

    /// <summary>
    /// The number as binary64: mantissa × 10^exponent (correctly rounded); ±Infinity for the infinities; NaN for
    /// NaN, NRes and Reserved (use <see cref="Status"/> to tell those apart).
    /// </summary>
    public double ToDouble() => Status switch
    {
        MderStatus.Value => PowersOfTen.Scale(Mantissa, Exponent),
        MderStatus.PositiveInfinity => double.PositiveInfinity,
        MderStatus.NegativeInfinity => double.NegativeInfinity,
        _ => double.NaN,
    };

    /// <summary>The number as binary32 (see <see cref="ToDouble"/>); four decimal digits always fit.</summary>
    public float ToSingle() => (float)ToDouble();

    /// <summary>True when <paramref name="mantissa"/> × 10^<paramref name="exponent"/> is encodable and not a special pattern.</summary>
    public static bool TryCreate(int mantissa, int exponent, out SFloat value)
    {
        value = default;
        if (mantissa is < MinMantissa or > MaxMantissa || exponent is < MinExponent or > MaxExponent)
        {
            return false;
        }

        var candidate = new SFloat((ushort)(((exponent & 0xF) << 12) | (mantissa & 0xFFF)));
        if (candidate.Status != MderStatus.Value)
        {
            return false;
        }

        value = candidate;
        return true;
    }

    /// <summary>mantissa × 10^exponent; throws when it is out of range or collides with a special pattern.</summary>
    public static SFloat Create(int mantissa, int exponent) =>
        TryCreate(mantissa, exponent, out var value) ? value : ThrowNotEncodable(mantissa, exponent);

    /// <inheritdoc />
    public bool Equals(SFloat other) => Raw == other.Raw;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SFloat other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Raw;

    /// <summary>Raw-word equality.</summary>
    public static bool operator ==(SFloat left, SFloat right) => left.Equals(right);

    /// <summary>Raw-word inequality.</summary>
    public static bool operator !=(SFloat left, SFloat right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Status == MderStatus.Value
        ? $"{Mantissa}e{Exponent}"
        : Status.ToString();

    [DoesNotReturn]
    private static SFloat ThrowNotEncodable(int mantissa, int exponent) =>
        throw new ArgumentOutOfRangeException(nameof(mantissa),
            $"{mantissa}e{exponent} is not an SFLOAT number (mantissa {MinMantissa}…{MaxMantissa}, exponent {MinExponent}…{MaxExponent}, not a special pattern)");
}
