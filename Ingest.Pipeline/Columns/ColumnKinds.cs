namespace Ingest.Pipeline.Columns;

/// <summary>Facts about <see cref="ColumnKind"/> values: names used in profiles, sizes, CLR types.</summary>
public static class ColumnKinds
{
    /// <summary>Bytes per value of a fixed-width kind; 0 for <see cref="ColumnKind.List"/>.</summary>
    public static int SizeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Int8 or ColumnKind.UInt8 => 1,
        ColumnKind.Int16 or ColumnKind.UInt16 => 2,
        ColumnKind.Int32 or ColumnKind.UInt32 or ColumnKind.Float32 => 4,
        ColumnKind.Int64 or ColumnKind.UInt64 or ColumnKind.Float64 or ColumnKind.TimestampNs => 8,
        ColumnKind.List => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The name a profile uses for a kind (the Arrow type name): int16, float32, timestamp[ns], list&lt;uint16&gt; …</summary>
    public static string ProfileName(ColumnKind kind) => kind switch
    {
        ColumnKind.Int8 => "int8",
        ColumnKind.Int16 => "int16",
        ColumnKind.Int32 => "int32",
        ColumnKind.Int64 => "int64",
        ColumnKind.UInt8 => "uint8",
        ColumnKind.UInt16 => "uint16",
        ColumnKind.UInt32 => "uint32",
        ColumnKind.UInt64 => "uint64",
        ColumnKind.Float32 => "float32",
        ColumnKind.Float64 => "float64",
        ColumnKind.TimestampNs => "timestamp[ns]",
        ColumnKind.List => "list",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a profile type name such as <c>uint16</c> or <c>list&lt;uint16&gt;</c>.</summary>
    public static bool TryParse(string text, out ColumnKind kind, out ColumnKind elementKind)
    {
        elementKind = default;
        if (text.StartsWith("list<", StringComparison.Ordinal) && text.EndsWith('>'))
        {
            kind = ColumnKind.List;
            return TryParseScalar(text[5..^1], out elementKind);
        }

        return TryParseScalar(text, out kind);
    }

    /// <summary>The names accepted by <see cref="TryParse"/>, for error messages.</summary>
    public static string AcceptedNames =>
        "int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, timestamp[ns], list<scalar>";

    /// <summary>The CLR type a kind is stored as.</summary>
    public static Type ClrType(ColumnKind kind) => kind switch
    {
        ColumnKind.Int8 => typeof(sbyte),
        ColumnKind.Int16 => typeof(short),
        ColumnKind.Int32 => typeof(int),
        ColumnKind.Int64 or ColumnKind.TimestampNs => typeof(long),
        ColumnKind.UInt8 => typeof(byte),
        ColumnKind.UInt16 => typeof(ushort),
        ColumnKind.UInt32 => typeof(uint),
        ColumnKind.UInt64 => typeof(ulong),
        ColumnKind.Float32 => typeof(float),
        ColumnKind.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "list columns have no single CLR type"),
    };

    private static bool TryParseScalar(string text, out ColumnKind kind)
    {
        switch (text)
        {
            case "int8": kind = ColumnKind.Int8; return true;
            case "int16": kind = ColumnKind.Int16; return true;
            case "int32": kind = ColumnKind.Int32; return true;
            case "int64": kind = ColumnKind.Int64; return true;
            case "uint8": kind = ColumnKind.UInt8; return true;
            case "uint16": kind = ColumnKind.UInt16; return true;
            case "uint32": kind = ColumnKind.UInt32; return true;
            case "uint64": kind = ColumnKind.UInt64; return true;
            case "float32": kind = ColumnKind.Float32; return true;
            case "float64": kind = ColumnKind.Float64; return true;
            case "timestamp[ns]": kind = ColumnKind.TimestampNs; return true;
            default: kind = default; return false;
        }
    }
}
