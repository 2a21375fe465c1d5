using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.FixedLayout;

/// <summary>
/// One compiled field of a fixed layout: everything the decode loop needs, resolved at load so decoding is a
/// tight loop over a flat array. The raw value of every field lands in register <see cref="Register"/> (the field's
/// index in declaration order) so later conditions and the sample count can read it.
/// </summary>
public readonly record struct FixedLayoutInstruction
{
    /// <summary>The field name, for rejection messages.</summary>
    public required string Name { get; init; }

    /// <summary>Wire type.</summary>
    public required FixedWireType WireType { get; init; }

    /// <summary>Bytes on the wire.</summary>
    public required int Size { get; init; }

    /// <summary>True when the wire value is big-endian.</summary>
    public required bool BigEndian { get; init; }

    /// <summary>Register the raw value is kept in (integers sign- or zero-extended to 64 bits; floats as their bits).</summary>
    public required int Register { get; init; }

    /// <summary>Value column written, or -1 when the field is not output.</summary>
    public required int Column { get; init; }

    /// <summary>Kind of <see cref="Column"/>.</summary>
    public required ColumnKind ColumnKind { get; init; }

    /// <summary>Register of the flags field the field's presence depends on, or -1 when always present.</summary>
    public required int ConditionRegister { get; init; }

    /// <summary>The field is present when <c>(flags &amp; mask) != 0</c>.</summary>
    public required ulong ConditionMask { get; init; }

    /// <summary>Multiplier applied when the column is floating point (integer columns keep raw values; the scale is metadata).</summary>
    public required double Scale { get; init; }

    /// <summary>Added after <see cref="Scale"/> for floating-point columns.</summary>
    public required double Offset { get; init; }
}
