namespace Ingest.Pipeline.Decoding.FixedLayout;

/// <summary>How a fixed-layout field is stored on the wire (its byte order is separate: little-endian by default).</summary>
public enum FixedWireType
{
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Unsigned 16-bit integer.</summary>
    U16,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>Unsigned 24-bit integer.</summary>
    U24,
    /// <summary>Signed 24-bit integer (two's complement).</summary>
    I24,
    /// <summary>Unsigned 32-bit integer.</summary>
    U32,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>Unsigned 64-bit integer.</summary>
    U64,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>IEEE-754 binary32.</summary>
    F32,
    /// <summary>IEEE-754 binary64.</summary>
    F64,
}
