namespace Ingest.Pipeline.Decoding.FixedLayout;

/// <summary>Facts about <see cref="FixedWireType"/>: profile names, sizes, signedness.</summary>
public static class FixedWireTypes
{
    /// <summary>The names a profile may use, for error messages.</summary>
    public const string AcceptedNames =
        "u8, i8, u16, i16, u24, i24, u32, i32, u64, i64, f32, f64; multi-byte types take an optional byte-order suffix le or be (e.g. u16be), little-endian by default as in all BLE GATT fields";

    /// <summary>Parses <c>u16</c>, <c>u16le</c>, <c>i24be</c>, <c>f32</c> …; single-byte types take no suffix.</summary>
    public static bool TryParse(string text, out FixedWireType type, out bool bigEndian)
    {
        ArgumentNullException.ThrowIfNull(text);
        bigEndian = false;
        var core = text;
        if (text.EndsWith("le", StringComparison.Ordinal) || text.EndsWith("be", StringComparison.Ordinal))
        {
            bigEndian = text.EndsWith("be", StringComparison.Ordinal);
            core = text[..^2];
        }

        type = default;
        var found = core switch
        {
            "u8" => Set(FixedWireType.U8, out type),
            "i8" => Set(FixedWireType.I8, out type),
            "u16" => Set(FixedWireType.U16, out type),
            "i16" => Set(FixedWireType.I16, out type),
            "u24" => Set(FixedWireType.U24, out type),
            "i24" => Set(FixedWireType.I24, out type),
            "u32" => Set(FixedWireType.U32, out type),
            "i32" => Set(FixedWireType.I32, out type),
            "u64" => Set(FixedWireType.U64, out type),
            "i64" => Set(FixedWireType.I64, out type),
            "f32" => Set(FixedWireType.F32, out type),
            "f64" => Set(FixedWireType.F64, out type),
            _ => false,
        };

        // A byte order on a single byte means nothing: reject "u8le" rather than guess.
        return found && (core.Length == text.Length || Size(type) > 1);
    }

    /// <summary>Bytes on the wire.</summary>
    public static int Size(FixedWireType type) => type switch
    {
        FixedWireType.U8 or FixedWireType.I8 => 1,
        FixedWireType.U16 or FixedWireType.I16 => 2,
        FixedWireType.U24 or FixedWireType.I24 => 3,
        FixedWireType.U32 or FixedWireType.I32 or FixedWireType.F32 => 4,
        _ => 8,
    };

    /// <summary>True for the signed integer types.</summary>
    public static bool IsSigned(FixedWireType type) =>
        type is FixedWireType.I8 or FixedWireType.I16 or FixedWireType.I24 or FixedWireType.I32 or FixedWireType.I64;

    /// <summary>True for the IEEE-754 types.</summary>
    public static bool IsFloat(FixedWireType type) => type is FixedWireType.F32 or FixedWireType.F64;

    private static bool Set(FixedWireType value, out FixedWireType type)
    {
        type = value;
        return true;
    }
}
