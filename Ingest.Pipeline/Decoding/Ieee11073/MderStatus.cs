namespace Ingest.Pipeline.Decoding.Ieee11073;

/// <summary>
/// What an IEEE-11073 SFLOAT or FLOAT holds (ISO/IEEE 11073-20601 §F.6, "MDER FLOAT-Type"/"SFLOAT-Type"): a
/// number or one of the special values. Stored as the <c>*_status</c> uint8 column next to each measurement value,
/// so the specials stay distinguishable in Arrow. Values are stable: they appear in stored data.
/// </summary>
/// <remarks>
/// Column representation (every SIG decoder that carries an SFLOAT or FLOAT field): the value column is null for
/// <see cref="NaN"/>, <see cref="NRes"/> and <see cref="Reserved"/>, <c>+Infinity</c> for
/// <see cref="PositiveInfinity"/>, <c>-Infinity</c> for <see cref="NegativeInfinity"/>, and the number otherwise;
/// the status column holds this code, and both are null when the frame's flags left the field out.
/// </remarks>
public enum MderStatus : byte
{
    /// <summary>A finite number: mantissa × 10^exponent.</summary>
    Value = 0,

    /// <summary>Not a Number: no valid reading (SFLOAT 0x07FF, FLOAT 0x007FFFFF).</summary>
    NaN = 1,

    /// <summary>Not at this Resolution: the value cannot be shown with this exponent (SFLOAT 0x0800, FLOAT 0x00800000).</summary>
    NRes = 2,

    /// <summary>+Infinity (SFLOAT 0x07FE, FLOAT 0x007FFFFE).</summary>
    PositiveInfinity = 3,

    /// <summary>−Infinity (SFLOAT 0x0802, FLOAT 0x00800002).</summary>
    NegativeInfinity = 4,

    /// <summary>Reserved for future use (SFLOAT 0x0801, FLOAT 0x00800001).</summary>
    Reserved = 5,
}
